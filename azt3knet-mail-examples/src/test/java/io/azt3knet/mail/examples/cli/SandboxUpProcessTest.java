package io.azt3knet.mail.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.inbound.maildir.MaildirMessageStore;
import io.azt3knet.mail.inbox.MessageQuery;
import io.azt3knet.mail.inbox.MessageStore;
import io.azt3knet.mail.inbox.MessageSummary;
import io.azt3knet.mail.sandbox.RunningSandbox;
import io.azt3knet.mail.sandbox.Sandbox;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sandbox up} as a real process, as a user starts it: it writes {@code sandbox.json} with its pid and ports,
 * prints the export lines, serves other processes ({@code populate --sandbox}, {@code send --sandbox}) and stops on
 * SIGTERM, removing {@code sandbox.json} and closing its ports. It runs under {@link LoopbackOnlyGuard} throughout.
 */
class SandboxUpProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void sandboxUpWritesItsStatePrintsExportsServesOtherProcessesAndStopsOnSigterm() throws Exception {
        Path sandboxDir = dir.resolve(SandboxOptions.DEFAULT_DIRECTORY);
        GuardedJvm up = GuardedJvm.start(dir, Azt3knetMailCommand.class.getName(), "sandbox", "up", "--smtp-port", "0",
                "--http-port", "0");
        try {
            for (int i = 0; i < 1200 && up.process().isAlive() && !up.out().contains("MAILJET_INBOUND_URL"); i++) {
                Thread.sleep(100);
            }
            assertThat(up.process().isAlive()).as(up.err()).isTrue();
            RunningSandbox running = Sandbox.running(sandboxDir).orElseThrow();
            assertThat(running.pid()).isEqualTo(up.process().pid());
            assertThat(JSON.readTree(sandboxDir.resolve(Sandbox.STATE_FILE).toFile()).path("smtpPort").asInt())
                    .isEqualTo(running.smtpPort());
            assertThat(up.out().lines()).contains("export DESEC_DOMAIN=" + Sandbox.DEFAULT_DOMAIN,
                    "export MAILJET_SMTP_HOST=localhost", "export MAILJET_SMTP_PORT=" + running.smtpPort(),
                    "export AZT3KNET_SANDBOX_TRUSTSTORE=" + sandboxDir.toRealPath().resolve("tls/truststore.p12"),
                    "export MAILJET_INBOUND_URL=http://127.0.0.1:" + running.httpPort() + Sandbox.WEBHOOK_PATH);
            assertThat(listening(running.smtpPort())).isTrue();
            assertThat(listening(running.httpPort())).isTrue();

            CommandRun populate = CommandRun.run("", Map.of(), "populate", "--count", "2", "--country", "ES",
                    "--create-mailboxes", "--sandbox", "--sandbox-dir", sandboxDir.toString(), "--json");
            assertThat(populate.exitCode()).as(populate.err()).isZero();
            List<String> addresses = populate.lines().stream()
                    .map(l -> readAddress(l)).toList();
            CommandRun send = CommandRun.run("", Map.of(), "send", "--sandbox", "--sandbox-dir", sandboxDir.toString(),
                    "--from", addresses.get(0), "--to", addresses.get(1), "--subject", "across processes", "--text", "hi");
            assertThat(send.exitCode()).as(send.err()).isZero();
            try (MessageStore store = MaildirMessageStore.builder(sandboxDir.resolve("maildir"))
                    .layout(MaildirMessageStore.Layout.PER_RECIPIENT).build()) {
                assertThat(store.list(MailboxAddress.parse(addresses.get(1)), MessageQuery.all()))
                        .extracting(MessageSummary::subject).containsExactly("across processes");
            }

            up.process().destroy(); // SIGTERM

            int exit = up.waitFor(60);
            assertThat(exit).as("the JVM's exit status after SIGTERM").isEqualTo(128 + 15);
            assertThat(sandboxDir.resolve(Sandbox.STATE_FILE)).as("removed on SIGTERM").doesNotExist();
            assertThat(Sandbox.running(sandboxDir)).isEmpty();
            assertThat(listening(running.smtpPort())).isFalse();
            assertThat(listening(running.httpPort())).isFalse();
            assertThat(up.report()).as("lookups and connections beyond loopback").isEmpty();
            assertThat(Files.isDirectory(sandboxDir.resolve("maildir"))).as("the state stays").isTrue();
        } finally {
            up.process().destroyForcibly();
        }
    }

    private static String readAddress(String jsonLine) {
        try {
            return JSON.readTree(jsonLine).path("address").asText();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean listening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
