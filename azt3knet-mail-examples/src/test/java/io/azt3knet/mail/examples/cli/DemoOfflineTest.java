package io.azt3knet.mail.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "A run with no network but loopback: the demo must not try DNS or HTTP beyond loopback." The demo runs as a user
 * runs it ({@code demo}, no options, no configuration, in a fresh directory) in a forked JVM under
 * {@link LoopbackOnlyGuard}, which reports and refuses every name lookup and connection beyond loopback. Needs no
 * privileges (no network namespace). The guard's own probe proves that it catches such attempts.
 */
class DemoOfflineTest {

    @TempDir
    Path dir;

    @Test
    void theDemoNeverLooksUpOrConnectsToAnythingBeyondLoopback() throws Exception {
        Forked demo = fork(Azt3knetMailCommand.class.getName(), "demo");

        assertThat(demo.report()).as("lookups and connections beyond loopback").isEmpty();
        assertThat(demo.exitCode()).as(demo.err()).isZero();
        assertThat(demo.out()).contains("agent 1 received the reply").contains("demo: done in");
        assertThat(dir.resolve(SandboxOptions.DEFAULT_DIRECTORY).resolve("maildir")).isDirectory();
    }

    @Test
    void theGuardLetsLoopbackThroughAndCatchesALookupASocketAndAnHttpRequestBeyondIt() throws Exception {
        Forked probe = fork(LoopbackGuardProbe.class.getName());

        assertThat(probe.exitCode()).as(probe.err()).isZero();
        assertThat(probe.out().lines()).containsExactly("loopback: connected", "lookup: refused", "socket: refused",
                "http: refused");
        assertThat(probe.report()).hasSize(3);
        assertThat(probe.report().get(0)).startsWith("beyond loopback: example.org port -1")
                .contains("LoopbackGuardProbe");
        assertThat(probe.report().get(1)).startsWith("beyond loopback: 192.0.2.1 port 25");
        assertThat(probe.report().get(2)).startsWith("beyond loopback: 192.0.2.1 port 8080");
    }

    @Test
    void loopbackIsLocalhostAndTheLoopbackLiteralsOnly() {
        assertThat(List.of("localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "0:0:0:0:0:0:0:1"))
                .allMatch(LoopbackOnlyGuard::isLoopback);
        assertThat(List.of("example.org", "127.0.0.1.example.org", "0.0.0.0", "10.0.0.1", "::2", "localhost.example"))
                .noneMatch(LoopbackOnlyGuard::isLoopback);
    }

    private record Forked(int exitCode, String out, String err, List<String> report) {
    }

    /** Runs a main class of this module's test class path in a fresh JVM under the guard, in {@link #dir}. */
    private Forked fork(String mainClass, String... args) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Runtime.version().feature() < 24,
                "Java " + Runtime.version().feature() + " has no security manager any more; the guard needs 17 to 23");
        Path report = dir.resolve("guard-report.txt");
        Files.deleteIfExists(report);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.security.manager=" + LoopbackOnlyGuard.class.getName(),
                "-D" + LoopbackOnlyGuard.REPORT_PROPERTY + "=" + report,
                "-XX:TieredStopAtLevel=1", "-cp", classpath, mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> env = builder.environment();
        // a fresh clone's shell: no provider configuration at all
        env.keySet().removeIf(k -> k.startsWith("MAILJET_") || k.startsWith("DESEC_") || k.startsWith("AZT3KNET_"));
        Process process = builder.start();
        if (!process.waitFor(150, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(mainClass + " did not finish within 150 s; stderr: " + read(dir.resolve("err.txt")));
        }
        List<String> violations = Files.exists(report) ? Files.readAllLines(report, StandardCharsets.UTF_8) : List.of();
        return new Forked(process.exitValue(), read(dir.resolve("out.txt")), read(dir.resolve("err.txt")), violations);
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
