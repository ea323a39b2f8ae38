package io.azt3knet.mail.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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

    private Forked fork(String mainClass, String... args) throws IOException, InterruptedException {
        GuardedJvm jvm = GuardedJvm.start(dir, mainClass, args);
        int code = jvm.waitFor(150);
        return new Forked(code, jvm.out(), jvm.err(), jvm.report());
    }
}
