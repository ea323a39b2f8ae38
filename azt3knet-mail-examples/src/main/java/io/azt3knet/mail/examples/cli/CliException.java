package io.azt3knet.mail.examples.cli;

/**
 * A command stopped with a message for the user and an exit code; thrown by commands, turned into
 * the message on standard error and the exit code by {@link Azt3knetMailCommand}.
 */
public final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    private CliException(int exitCode, String message, @org.jspecify.annotations.Nullable Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /**
     * @param message what is wrong with the input and how to fix it
     * @return an exception for exit code 2: bad usage or input
     */
    public static CliException badInput(String message) {
        return new CliException(Azt3knetMailCommand.EXIT_USAGE, message, null);
    }

    /**
     * @param message what failed and what to look at
     * @return an exception for exit code 1: the operation failed
     */
    public static CliException failed(String message) {
        return new CliException(Azt3knetMailCommand.EXIT_FAILED, message, null);
    }

    /**
     * @param message what failed
     * @param cause why
     * @return an exception for exit code 1: the operation failed
     */
    public static CliException failed(String message, Throwable cause) {
        return new CliException(Azt3knetMailCommand.EXIT_FAILED, message, cause);
    }

    /** @return the process exit code */
    public int exitCode() {
        return exitCode;
    }
}
