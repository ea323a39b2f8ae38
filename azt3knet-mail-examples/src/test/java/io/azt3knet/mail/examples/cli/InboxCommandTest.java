package io.azt3knet.mail.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.azt3knet.mail.inbound.DeliveryKey;
import io.azt3knet.mail.inbound.InboundMessage;
import io.azt3knet.mail.inbound.MessageHeaders;
import io.azt3knet.mail.inbound.maildir.MaildirSink;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InboxCommandTest {

    private static final String ADA = "ada@agents.example";
    private static final String BOB = "bob@agents.example";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static void store(MaildirSink sink, String to, String id, String from, String subject) throws Exception {
        InboundMessage m = InboundMessage.builder().recipient(to).from(from).subject(subject)
                .headers(MessageHeaders.builder().add("Message-ID", id).build()).text("Text of " + subject).build();
        sink.accept(m, DeliveryKey.forMessageId(to, id));
    }

    private MaildirSink sink(Path root, Instant at) {
        return MaildirSink.builder(root).perRecipient(true).clock(Clock.fixed(at, ZoneOffset.UTC)).build();
    }

    private Path twoMessages() throws Exception {
        Path root = dir.resolve("mail");
        store(sink(root, Instant.now().minus(Duration.ofMinutes(2))), ADA, "<1@example.org>", "Carol <carol@example.org>",
                "Hello");
        store(sink(root, Instant.now().minus(Duration.ofMinutes(1))), ADA, "<2@example.org>", "dan@example.org",
                "Invoice 42");
        return root;
    }

    @Test
    void listPrintsNewestFirstAsTextOrJsonLines() throws Exception {
        Path root = twoMessages();
        CommandRun text = CommandRun.run("", Map.of(), "inbox", "list", ADA, "--maildir", root.toString());
        assertThat(text.exitCode()).isZero();
        assertThat(text.lines()).hasSize(2);
        assertThat(text.lines().get(0)).contains("\tnew\tdan@example.org\tInvoice 42\t");
        assertThat(text.lines().get(1)).contains("Carol <carol@example.org>\tHello");

        CommandRun json = CommandRun.run("", Map.of(), "inbox", "list", ADA, "--maildir", root.toString(), "--json",
                "--limit", "1");
        assertThat(json.exitCode()).isZero();
        assertThat(json.lines()).hasSize(1);
        JsonNode newest = JSON.readTree(json.lines().get(0));
        assertThat(newest.fieldNames()).toIterable()
                .containsExactly("id", "messageId", "from", "to", "subject", "date", "seen", "size");
        assertThat(newest.get("messageId").asText()).isEqualTo("<2@example.org>");
        assertThat(newest.get("subject").asText()).isEqualTo("Invoice 42");
        assertThat(newest.get("to").asText()).isEqualTo(ADA);
        assertThat(newest.get("seen").asBoolean()).isFalse();
        assertThat(newest.get("size").asLong()).isPositive();
        assertThat(Instant.parse(newest.get("date").asText())).isBefore(Instant.now());
    }

    @Test
    void readPrintsHeadersAndTextAndMarksSeenSoThatUnseenLeavesItOut() throws Exception {
        Path root = twoMessages();
        String id = JSON.readTree(CommandRun.run("", Map.of(), "inbox", "list", ADA, "--maildir", root.toString(),
                "--json").lines().get(1)).get("id").asText();
        CommandRun read = CommandRun.run("", Map.of(), "inbox", "read", ADA, id, "--maildir", root.toString());
        assertThat(read.exitCode()).isZero();
        assertThat(read.out()).contains("From: Carol <carol@example.org>", "Subject: Hello",
                "Message-ID: <1@example.org>", "\n\nText of Hello");
        CommandRun unseen = CommandRun.run("", Map.of(), "inbox", "list", ADA, "--maildir", root.toString(), "--unseen");
        assertThat(unseen.lines()).singleElement().asString().contains("Invoice 42");

        CommandRun missing = CommandRun.run("", Map.of(), "inbox", "read", ADA, "nope", "--maildir", root.toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no message nope in the mailbox of " + ADA);
    }

    @Test
    void waitPrintsTheOldestMatchOrFailsWithExitOneOnTimeout() throws Exception {
        Path root = twoMessages();
        CommandRun peek = CommandRun.run("", Map.of(), "inbox", "wait", ADA, "--maildir", root.toString(), "--peek",
                "--timeout", "0s", "--json");
        assertThat(peek.exitCode()).isZero();
        assertThat(JSON.readTree(peek.out()).get("subject").asText()).isEqualTo("Hello");
        assertThat(JSON.readTree(peek.out()).get("seen").asBoolean()).isFalse();

        CommandRun first = CommandRun.run("", Map.of(), "inbox", "wait", ADA, "--maildir", root.toString(), "--timeout", "1s");
        assertThat(first.exitCode()).isZero();
        assertThat(first.out()).contains("\tseen\tCarol <carol@example.org>\tHello");
        CommandRun invoice = CommandRun.run("", Map.of(), "inbox", "wait", ADA, "--maildir", root.toString(),
                "--subject-contains", "invoice", "--from", "dan@");
        assertThat(invoice.out()).contains("Invoice 42");

        CommandRun none = CommandRun.run("", Map.of(), "inbox", "wait", ADA, "--maildir", root.toString(),
                "--timeout", "300ms");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).contains("no matching message within 300ms");
        assertThat(none.out()).isEmpty();
    }

    @Test
    void waitReturnsAMessageThatArrivesWhileWaiting() throws Exception {
        Path root = dir.resolve("mail");
        MaildirSink sink = MaildirSink.builder(root).perRecipient(true).build();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> later = writer.submit(() -> {
                Thread.sleep(300);
                store(sink, BOB, "<late@example.org>", "carol@example.org", "Arrived later");
                return null;
            });
            CommandRun waited = CommandRun.run("", Map.of(), "inbox", "wait", BOB, "--maildir", root.toString(),
                    "--timeout", "30s");
            assertThat(waited.exitCode()).isZero();
            assertThat(waited.out()).contains("Arrived later");
            later.get();
        } finally {
            writer.shutdownNow();
        }
    }

    @Test
    void pruneDeletesWhatIsOlderThanTheDurationAndDryRunOnlyTells() throws Exception {
        Path root = dir.resolve("mail");
        store(sink(root, Instant.now().minus(Duration.ofDays(40))), ADA, "<old@example.org>", "x@example.org", "Old");
        store(sink(root, Instant.now().minus(Duration.ofDays(40))), BOB, "<old-b@example.org>", "x@example.org", "Old B");
        store(sink(root, Instant.now().minus(Duration.ofDays(1))), ADA, "<new@example.org>", "x@example.org", "Recent");

        CommandRun dry = CommandRun.run("", Map.of(), "inbox", "prune", "--older-than", "30d", "--dry-run",
                "--maildir", root.toString());
        assertThat(dry.exitCode()).isZero();
        assertThat(dry.lines()).hasSize(2).allMatch(l -> l.startsWith("would delete\t"));
        assertThat(dry.err()).contains("would delete 2 messages delivered more than 30d ago from all mailboxes");

        CommandRun one = CommandRun.run("", Map.of(), "inbox", "prune", "--older-than", "30d", "--address", ADA,
                "--maildir", root.toString(), "--json");
        assertThat(one.exitCode()).isZero();
        JsonNode removed = JSON.readTree(one.lines().get(0));
        assertThat(removed.get("subject").asText()).isEqualTo("Old");
        assertThat(removed.get("mailbox").asText()).isEqualTo(ADA);
        assertThat(removed.get("deleted").asBoolean()).isTrue();
        assertThat(CommandRun.run("", Map.of(), "inbox", "list", ADA, "--maildir", root.toString()).lines())
                .singleElement().asString().contains("Recent");
        assertThat(CommandRun.run("", Map.of(), "inbox", "list", BOB, "--maildir", root.toString()).lines()).hasSize(1);
    }

    @Test
    void readsTheSandboxMaildirs() throws Exception {
        Path sandbox = dir.resolve("sbx");
        store(sink(sandbox.resolve("maildir"), Instant.now()), ADA, "<s@example.org>", "x@example.org", "In the sandbox");
        CommandRun run = CommandRun.run("", Map.of(), "inbox", "list", ADA, "--sandbox", "--sandbox-dir", sandbox.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("In the sandbox");
    }

    @Test
    void usageErrorsExitTwoAndSayWhatToFix() throws Exception {
        Path root = twoMessages();
        CommandRun nowhere = CommandRun.run("", Map.of(), "inbox", "list", ADA);
        assertThat(nowhere.exitCode()).isEqualTo(2);
        assertThat(nowhere.err()).contains("--maildir <dir> or --sandbox");
        CommandRun both = CommandRun.run("", Map.of(), "inbox", "list", ADA, "--sandbox", "--maildir", root.toString());
        assertThat(both.exitCode()).isEqualTo(2);
        CommandRun badAddress = CommandRun.run("", Map.of(), "inbox", "list", "not-an-address", "--maildir", root.toString());
        assertThat(badAddress.exitCode()).isEqualTo(2);
        assertThat(badAddress.err()).contains("not an e-mail address");
        CommandRun badTimeout = CommandRun.run("", Map.of(), "inbox", "wait", ADA, "--timeout", "soon", "--maildir",
                root.toString());
        assertThat(badTimeout.exitCode()).isEqualTo(2);
        assertThat(badTimeout.err()).contains("--timeout must be a duration");
        CommandRun noAge = CommandRun.run("", Map.of(), "inbox", "prune", "--maildir", root.toString());
        assertThat(noAge.exitCode()).isEqualTo(2);
        CommandRun noSub = CommandRun.run("", Map.of(), "inbox");
        assertThat(noSub.exitCode()).isEqualTo(2);
    }
}
