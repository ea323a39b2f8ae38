package io.azt3knet.mail.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.inbound.maildir.MaildirMessageStore;
import io.azt3knet.mail.inbox.MessageQuery;
import io.azt3knet.mail.inbox.MessageStore;
import io.azt3knet.mail.inbox.MessageSummary;
import io.azt3knet.mail.sandbox.Sandbox;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox on the command line: demo, sandbox up, and --sandbox on the provider commands. */
class SandboxCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void demoRunsTheWholeLoopOfflineAndASecondRunInTheSameDirectoryWorksToo() {
        for (int run = 1; run <= 2; run++) {
            CommandRun demo = CommandRun.run("", Map.of(), "demo", "--count", "3", "--sandbox-dir", dir.toString());

            assertThat(demo.exitCode()).as(demo.err()).isZero();
            assertThat(demo.out()).contains("[1] ").contains("started the sandbox")
                    .contains("named 3 ES agents and created their sandbox mailboxes")
                    .contains("$ORIGIN agents.azt3knet.test.").contains("IN MX    10 mx.agents.azt3knet.test.")
                    .contains("agent 1 sent \"Hello from").contains("over SMTP (STARTTLS, AUTH as")
                    .contains("agent 2 read it from its Maildir")
                    .contains("agent 2 replied in the thread")
                    .contains("[7] ").contains("agent 1 received the reply \"Re: Hello from")
                    .contains("demo: done in");
        }
        assertThat(dir.resolve(Sandbox.STATE_FILE)).doesNotExist();
    }

    @Test
    void sandboxUpServesPopulateAndSendUntilStopped() throws Exception {
        StringWriter upOut = new StringWriter();
        AtomicReference<CommandRun> upRun = new AtomicReference<>();
        Thread up = new Thread(() -> upRun.set(CommandRun.run(new ByteArrayInputStream(new byte[0]), upOut, Map.of(),
                "sandbox", "up", "--sandbox-dir", dir.toString(), "--smtp-port", "0", "--http-port", "0")));
        up.start();
        try {
            for (int i = 0; i < 600 && !upOut.toString().contains("MAILJET_INBOUND_URL"); i++) {
                Thread.sleep(100);
            }
            assertThat(upOut.toString()).contains("export MAILJET_SMTP_HOST=localhost")
                    .contains("export AZT3KNET_SANDBOX_TRUSTSTORE=" + dir.toAbsolutePath().resolve("tls/truststore.p12"))
                    .contains("export MAILJET_INBOUND_URL=http://127.0.0.1:");
            int smtpPort = Sandbox.running(dir).orElseThrow().smtpPort();
            assertThat(upOut.toString()).contains("export MAILJET_SMTP_PORT=" + smtpPort + "\n");
            assertThat(JSON.readTree(dir.resolve(Sandbox.STATE_FILE).toFile()).path("pid").asLong())
                    .isEqualTo(ProcessHandle.current().pid());

            CommandRun populate = CommandRun.run("", Map.of(), "populate", "--count", "2", "--country", "ES",
                    "--create-mailboxes", "--sandbox", "--sandbox-dir", dir.toString(), "--json");
            assertThat(populate.exitCode()).as(populate.err()).isZero();
            List<JsonNode> agents = new ArrayList<>();
            for (String line : populate.lines()) {
                agents.add(JSON.readTree(line));
            }
            assertThat(agents).hasSize(2).allSatisfy(a -> {
                assertThat(a.path("status").asText()).isEqualTo("CREATED");
                assertThat(a.path("smtpPort").asInt()).isEqualTo(smtpPort);
                assertThat(a.path("smtpPassword").asText()).isEqualTo("****");
            });
            String from = agents.get(0).path("address").asText();
            String to = agents.get(1).path("address").asText();

            CommandRun send = CommandRun.run("", Map.of(), "send", "--sandbox", "--sandbox-dir", dir.toString(),
                    "--from", from, "--to", to, "--subject", "Hola", "--text", "Hola desde la línea de órdenes");

            assertThat(send.exitCode()).as(send.err()).isZero();
            assertThat(send.out()).contains("via the sandbox at localhost:" + smtpPort);
            CommandRun sendJson = CommandRun.run("", Map.of(), "send", "--sandbox", "--sandbox-dir", dir.toString(),
                    "--from", from, "--to", to, "--subject", "Hola", "--text", "otra vez", "--json");
            JsonNode sent = JSON.readTree(sendJson.out());
            assertThat(sent.path("messageId").asText()).startsWith("<").endsWith(">");
            assertThat(sent.path("from").asText()).isEqualTo(from);
            assertThat(sent.path("to").get(0).asText()).isEqualTo(to);
            try (MessageStore store = MaildirMessageStore.builder(dir.resolve("maildir"))
                    .layout(MaildirMessageStore.Layout.PER_RECIPIENT).build()) {
                assertThat(store.list(MailboxAddress.parse(to), MessageQuery.all())).extracting(MessageSummary::subject)
                        .containsExactly("Hola", "Hola");
            }
        } finally {
            up.interrupt();
            up.join(30_000);
        }
        assertThat(upRun.get().exitCode()).isZero();
        assertThat(dir.resolve(Sandbox.STATE_FILE)).doesNotExist();
    }

    @Test
    void sendWithSandboxNeedsARunningSandbox() {
        CommandRun send = CommandRun.run("", Map.of(), "send", "--sandbox", "--sandbox-dir", dir.toString(),
                "--from", "a@agents.azt3knet.test", "--to", "b@agents.azt3knet.test", "--subject", "x", "--text", "x");

        assertThat(send.exitCode()).isEqualTo(2);
        assertThat(send.err()).contains("no sandbox is running in").contains("sandbox up --sandbox-dir");
    }

    @Test
    void dnsBootstrapInTheSandboxPublishesTheRecordsAndPrintsTheZone() {
        CommandRun run = CommandRun.run("", Map.of(), "dns-bootstrap", "--sandbox", "--sandbox-dir", dir.toString(),
                "--wait", "0s");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("$ORIGIN agents.azt3knet.test.").contains("\"v=spf1 ip4:127.0.0.1 ~all\"")
                .contains("sandbox._domainkey").contains("\"v=DMARC1; p=none\"");
        assertThat(Files.exists(dir.resolve("zones/agents.azt3knet.test.json"))).isTrue();
    }

    @Test
    void theSandboxDomainIsDesecDomainWhenSet() {
        CommandRun run = CommandRun.run("", Map.of("DESEC_DOMAIN", "agents.example.org"), "dns-bootstrap", "--sandbox",
                "--sandbox-dir", dir.toString(), "--wait", "0s");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("$ORIGIN agents.example.org.").doesNotContain(Sandbox.DEFAULT_DOMAIN);
        assertThat(dir.resolve("zones/agents.example.org.json")).exists();
        assertThat(dir.resolve("zones/" + Sandbox.DEFAULT_DOMAIN + ".json")).doesNotExist();
    }

    @Test
    void withoutCredentialsProviderCommandsExit2NamingTheVariablesAndPointingAtTheSandbox() {
        CommandRun populate = CommandRun.run("", Map.of(), "populate", "--count", "1", "--country", "ES",
                "--domain", "agents.example.org", "--create-mailboxes");
        CommandRun dns = CommandRun.run("", Map.of("DESEC_DOMAIN", "agents.example.org"), "dns-bootstrap");
        CommandRun send = CommandRun.run("", Map.of(), "send", "--from", "a@agents.example.org", "--to",
                "b@example.org", "--subject", "x", "--text", "x");

        assertThat(populate.exitCode()).isEqualTo(2);
        assertThat(populate.err()).contains("MAILJET_API_KEY", "MAILJET_API_SECRET", "MAILJET_INBOUND_URL").contains("--sandbox").contains("azt3knet-mail demo");
        assertThat(dns.exitCode()).isEqualTo(2);
        assertThat(dns.err()).contains("DESEC_TOKEN").contains("--sandbox").contains("azt3knet-mail demo");
        assertThat(send.exitCode()).isEqualTo(2);
        assertThat(send.err()).contains("MAILJET_API_KEY", "MAILJET_API_SECRET").contains("--sandbox").contains("azt3knet-mail demo");
        assertThat(Path.of(SandboxOptions.DEFAULT_DIRECTORY)).as("the sandbox is never chosen silently").doesNotExist();
    }
}
