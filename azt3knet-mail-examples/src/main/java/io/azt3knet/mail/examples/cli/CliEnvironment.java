package io.azt3knet.mail.examples.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;

/**
 * What a command reads and writes: standard input, output and error, and the environment variables.
 * Tests give their own, so that commands run in-process without touching the real process streams.
 *
 * @param in standard input
 * @param out standard output (results)
 * @param err standard error (messages and usage)
 * @param environment the environment variables configuration is read from
 */
public record CliEnvironment(InputStream in, PrintWriter out, PrintWriter err, Map<String, String> environment) {

    /** Validates that nothing is {@code null}. */
    public CliEnvironment {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        environment = Map.copyOf(environment);
    }

    /** @return the process's streams and environment */
    public static CliEnvironment system() {
        return new CliEnvironment(System.in, new PrintWriter(System.out, false), new PrintWriter(System.err, true),
                System.getenv());
    }
}
