package io.azt3knet.mail.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The built command line ({@code azt3knet-mail.jar}, made by the shade in {@code package}) run as users run it:
 * {@code java -jar}, a separate process, in a working directory of the test's own (so that no stray {@code .env}
 * is read) and with only the environment variables the test gives. Standard output and error go to files, so
 * that a chatty process never blocks on a full pipe.
 */
final class JarProcess {

    /** The jar failsafe passes in; run from an IDE after {@code package}, the module's target directory. */
    static final Path JAR = Path.of(System.getProperty("azt3knet.cli.jar", "target/azt3knet-mail.jar")).toAbsolutePath();
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    /** The longest any single run may take before the test fails it: nothing in these tests should come close. */
    static final Duration LIMIT = Duration.ofSeconds(60);

    private final Path workDir;
    private final Map<String, String> env;
    private final List<String> jvmOptions;

    private JarProcess(Path workDir, Map<String, String> env, List<String> jvmOptions) {
        this.workDir = workDir;
        this.env = Map.copyOf(env);
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * @param workDir the working directory (the test's temporary directory)
     * @param env the only environment variables the process gets (besides a UTF-8 locale)
     * @return a launcher
     */
    static JarProcess in(Path workDir, Map<String, String> env) {
        assertThat(JAR).as("the shaded jar (run `./mvnw -o package -pl azt3knet-mail-examples -am` first)").isRegularFile();
        return new JarProcess(workDir, env, List.of());
    }

    /**
     * @param options JVM options, e.g. a trust store, put before {@code -jar}
     * @return a copy with them
     */
    JarProcess jvm(String... options) {
        List<String> all = new ArrayList<>(jvmOptions);
        all.addAll(List.of(options));
        return new JarProcess(workDir, env, all);
    }

    /**
     * Starts the jar without waiting; the caller ends it (see {@link Run#kill()}).
     *
     * @param args the command line
     * @return the running process
     */
    Run start(String... args) {
        try {
            Path logs = Files.createTempDirectory(workDir, "run-");
            List<String> command = new ArrayList<>();
            command.add(JAVA.toString());
            // a small, quick JVM: the machine is shared; none of this changes what the program does
            command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", JAR.toString()));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(logs.resolve("stdout").toFile())
                    .redirectError(logs.resolve("stderr").toFile());
            pb.environment().clear();
            pb.environment().put("LANG", "C.UTF-8");
            pb.environment().putAll(env);
            return new Run(pb.start(), List.of(args), logs, System.nanoTime());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the jar to its end (at most {@link #LIMIT}; the process is killed in any case).
     *
     * @param args the command line
     * @return what it printed and its exit code
     */
    Result run(String... args) {
        Run run = start(args);
        try {
            return run.awaitExit(LIMIT);
        } finally {
            run.kill();
        }
    }

    /** A started process. */
    static final class Run {
        private final Process process;
        private final List<String> args;
        private final Path logs;
        private final long startNanos;

        private Run(Process process, List<String> args, Path logs, long startNanos) {
            this.process = process;
            this.args = args;
            this.logs = logs;
            this.startNanos = startNanos;
        }

        /**
         * @param limit the longest wait
         * @return the result
         * @throws AssertionError when the process did not end in time (it is killed then)
         */
        Result awaitExit(Duration limit) {
            try {
                boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
                Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
                if (!ended) {
                    kill();
                    throw new AssertionError("azt3knet-mail did not end within " + limit + "; stderr so far:\n"
                            + read("stderr"));
                }
                Result result = new Result(process.exitValue(), read("stdout"), read("stderr"), elapsed);
                System.out.println("azt3knet-mail " + String.join(" ", args) + "\n" + result); // the test's output file keeps every run, for a failure's reader
                return result;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            } finally {
                kill();
            }
        }

        /** Kills the process at once (SIGKILL), as a crash or an out-of-memory killer would; idempotent. */
        void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** @return whether the process still runs */
        boolean isAlive() {
            return process.isAlive();
        }

        /** @return standard error so far */
        String err() {
            return read("stderr");
        }

        private String read(String name) {
            try {
                return Files.readString(logs.resolve(name), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * One finished run.
     *
     * @param exitCode the exit code
     * @param out standard output
     * @param err standard error
     * @param elapsed from start to exit, JVM start included
     */
    record Result(int exitCode, String out, String err, Duration elapsed) {

        /** @return the lines of standard output */
        List<String> outLines() {
            return out.lines().toList();
        }

        /** @return the lines of standard error */
        List<String> errLines() {
            return err.lines().toList();
        }

        /** @return the last line of standard error: where the command line says why it stopped */
        String lastErrLine() {
            List<String> lines = errLines();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + " after " + elapsed.toMillis() + " ms\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
