package io.azt3knet.mail.examples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * A main class of this module's test class path, started in a fresh JVM under {@link LoopbackOnlyGuard}, in a given
 * working directory, with no provider configuration in its environment (a fresh clone's shell). Standard output,
 * standard error and the guard's report are files in that directory.
 */
final class GuardedJvm {

    private final Path dir;
    private final Process process;

    private GuardedJvm(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    static GuardedJvm start(Path dir, String mainClass, String... args) throws IOException {
        Assumptions.assumeTrue(Runtime.version().feature() < 24,
                "Java " + Runtime.version().feature() + " has no security manager any more; the guard needs 17 to 23");
        Files.deleteIfExists(dir.resolve("guard-report.txt"));
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.security.manager=" + LoopbackOnlyGuard.class.getName(),
                "-D" + LoopbackOnlyGuard.REPORT_PROPERTY + "=" + dir.resolve("guard-report.txt"),
                "-XX:TieredStopAtLevel=1", "-cp", classpath, mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("MAILJET_") || k.startsWith("DESEC_") || k.startsWith("AZT3KNET_"));
        return new GuardedJvm(dir, builder.start());
    }

    Process process() {
        return process;
    }

    String out() throws IOException {
        return read(dir.resolve("out.txt"));
    }

    String err() throws IOException {
        return read(dir.resolve("err.txt"));
    }

    /** @return the guard's report: one line per lookup or connection beyond loopback, none when it kept to loopback */
    List<String> report() throws IOException {
        Path report = dir.resolve("guard-report.txt");
        return Files.exists(report) ? Files.readAllLines(report, StandardCharsets.UTF_8) : List.of();
    }

    /** Waits for the end, killing the JVM (and failing) after the bound. */
    int waitFor(long seconds) throws IOException, InterruptedException {
        if (!process.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            throw new AssertionError("the forked JVM did not finish within " + seconds + " s; stderr: " + err());
        }
        return process.exitValue();
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
