package io.azt3knet.mail.examples.cli;

/** The {@code azt3knet-mail} command line. */
public final class Azt3knetMailCommand {

    private Azt3knetMailCommand() {
    }

    /** @param args command-line arguments */
    public static void main(String[] args) {
        System.err.println("azt3knet-mail: no command yet");
        System.exit(2);
    }
}
