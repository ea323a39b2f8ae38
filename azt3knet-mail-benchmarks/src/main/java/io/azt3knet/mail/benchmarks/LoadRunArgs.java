package io.azt3knet.mail.benchmarks;

/** Positional integer arguments of the load runs. */
final class LoadRunArgs {

    private LoadRunArgs() {
    }

    /**
     * @param args the command line
     * @param index the argument's position
     * @param fallback its value when it is not given
     * @return the argument; a value that is not a number ends the run with exit 2
     */
    static int integer(String[] args, int index, int fallback) {
        if (args.length <= index) {
            return fallback;
        }
        try {
            return Integer.parseInt(args[index]);
        } catch (NumberFormatException e) {
            System.err.println("not a number: " + args[index]);
            System.exit(2);
            return fallback;
        }
    }
}
