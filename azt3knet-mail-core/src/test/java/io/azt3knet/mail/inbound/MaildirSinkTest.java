package io.azt3knet.mail.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.InboundRejectedException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaildirSinkTest {

    @TempDir
    Path root;

    static InboundMessage message(String messageId) {
        return message("agent@agents.example", messageId, new byte[0]);
    }

    static InboundMessage message(String recipient, String messageId, byte[] attachment) {
        InboundMessage.Builder b = InboundMessage.builder()
                .recipient(recipient)
                .from("Sender <sender@example.org>")
                .subject("Grüße " + messageId)
                .headers(MessageHeaders.builder().add("Message-ID", messageId).build())
                .text("hello");
        if (attachment.length > 0) {
            b.attachments(List.of(new InboundAttachment("data.bin", "application/octet-stream", "", false, attachment)));
        }
        return b.build();
    }

    private static DeliveryKey key(InboundMessage m) {
        return DeliveryKey.forMessageId(m.recipient(), m.messageId().orElseThrow());
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void writesTheRenderedMessageIntoNewAndLeavesTmpEmpty() throws Exception {
        MaildirSink sink = MaildirSink.builder(root).build();
        InboundMessage m = message("<a@example.org>");

        assertThat(sink.accept(m, key(m))).isEqualTo(InboundSink.Result.STORED);

        assertThat(files(root.resolve("tmp"))).isEmpty();
        assertThat(files(root.resolve("cur"))).isEmpty();
        Path stored = files(root.resolve("new")).get(0);
        MimeMessage back = new MimeMessage(Session.getInstance(new Properties()), Files.newInputStream(stored));
        assertThat(back.getSubject()).isEqualTo("Grüße <a@example.org>");
        assertThat(stored.getFileName().toString()).matches("\\d+\\.M\\d+P\\d+Q\\d+K" + key(m).value() + "\\..+")
                .doesNotContain("/", ":");
    }

    @Test
    void keepsOneMaildirPerRecipientWhenAsked() throws Exception {
        MaildirSink sink = MaildirSink.builder(root).perRecipient(true).build();
        InboundMessage a = message("a@agents.example", "<1@x>", new byte[0]);
        InboundMessage b = message("b@agents.example", "<1@x>", new byte[0]);

        sink.accept(a, key(a));
        sink.accept(b, key(b));

        assertThat(files(root.resolve("a@agents.example").resolve("new"))).hasSize(1);
        assertThat(files(root.resolve("b@agents.example").resolve("new"))).hasSize(1);
    }

    @Test
    void refusesARecipientThatCouldEscapeTheRoot() {
        MaildirSink sink = MaildirSink.builder(root).perRecipient(true).build();
        for (String recipient : List.of("../../etc@x.org", "a/b@x.org", "..", "", "a@..")) {
            InboundMessage m = message(recipient, "<1@x>", new byte[0]);
            assertThatThrownBy(() -> sink.accept(m, DeliveryKey.forMessageId(recipient, "<1@x>")))
                    .isInstanceOf(InboundRejectedException.class)
                    .extracting(e -> ((InboundRejectedException) e).reason())
                    .isEqualTo(InboundRejectedException.Reason.MALFORMED);
        }
        assertThat(root.getParent().resolve("etc@x.org")).doesNotExist();
    }

    @Test
    void recognisesADuplicateEvenAfterTheClientMovedOrDeletedTheMessage() throws Exception {
        InboundMessage m = message("<moved@example.org>");
        MaildirSink sink = MaildirSink.builder(root).build();
        sink.accept(m, key(m));
        Path stored = files(root.resolve("new")).get(0);
        Files.move(stored, root.resolve("cur").resolve(stored.getFileName() + ":2,S"));

        assertThat(MaildirSink.builder(root).build().accept(m, key(m))).isEqualTo(InboundSink.Result.DUPLICATE);
        Files.delete(files(root.resolve("cur")).get(0));
        assertThat(MaildirSink.builder(root).build().accept(m, key(m))).isEqualTo(InboundSink.Result.DUPLICATE);
    }

    @Test
    void repairsAMarkerLostByACrashAfterTheRenameOnTheNextStart() throws Exception {
        InboundMessage m = message("<lost-marker@example.org>");
        MaildirSink.builder(root).build().accept(m, key(m));
        Files.delete(root.resolve(MaildirSink.INDEX_DIRECTORY).resolve(key(m).value()));

        assertThat(MaildirSink.builder(root).build().accept(m, key(m))).isEqualTo(InboundSink.Result.DUPLICATE);
        assertThat(files(root.resolve("new"))).hasSize(1);
    }

    @Test
    void aKillBetweenWriteAndRenameLeavesNothingInNewAndTheRedeliveryIsStored() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                MaildirCrashMain.class.getName(), root.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            line = out.readLine();
            assertThat(line).as("the child reached the point between write and rename").startsWith("WRITTEN ");
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        Path tmpFile = Path.of(line.substring("WRITTEN ".length()));

        assertThat(files(root.resolve("new"))).as("nothing is visible in new/").isEmpty();
        assertThat(files(root.resolve(MaildirSink.INDEX_DIRECTORY))).as("the delivery is not marked as stored").isEmpty();
        assertThat(files(root.resolve("tmp"))).containsExactly(tmpFile);
        assertThat(new MimeMessage(Session.getInstance(new Properties()), Files.newInputStream(tmpFile)).getMessageID())
                .as("the kill came after the complete write").isEqualTo("<crash@example.org>");

        InboundMessage m = message("<crash@example.org>");
        MaildirSink restarted = MaildirSink.builder(root).build();
        assertThat(restarted.accept(m, key(m))).isEqualTo(InboundSink.Result.STORED);
        Path stored = files(root.resolve("new")).get(0);
        assertThat(new MimeMessage(Session.getInstance(new Properties()), Files.newInputStream(stored)).getMessageID())
                .isEqualTo("<crash@example.org>");

        // the leftover in tmp/ goes once it is older than the stale age
        Files.setLastModifiedTime(tmpFile, FileTime.from(Instant.now().minus(Duration.ofHours(37))));
        MaildirSink.builder(root).build();
        assertThat(files(root.resolve("tmp"))).isEmpty();
        assertThat(files(root.resolve("new"))).hasSize(1);
    }

    @Test
    void keepsRecentTmpFilesOnStartBecauseAnotherDeliveryMayBeWritingThem() throws Exception {
        Files.createDirectories(root.resolve("tmp"));
        Path recent = Files.writeString(root.resolve("tmp").resolve("1.M1P1Q1.host"), "partial");
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofHours(35)), ZoneOffset.UTC);

        MaildirSink.builder(root).clock(later).build();
        assertThat(recent).exists();
        MaildirSink.builder(root).clock(later).staleTmpAfter(Duration.ofHours(1)).build();
        assertThat(recent).doesNotExist();
    }

    @Test
    void aReaderPollingNewNeverSeesAPartialFile() throws Exception {
        MaildirSink sink = MaildirSink.builder(root).build();
        byte[] attachment = new byte[256 * 1024];
        Arrays.fill(attachment, (byte) 'x');
        int count = 40;
        long expectedSize = message("agent@agents.example", "<r0@x>", attachment).toRfc5322Bytes().length;
        AtomicBoolean done = new AtomicBoolean();
        AtomicBoolean sawPartial = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                try (Stream<Path> s = Files.list(root.resolve("new"))) {
                    for (Path p : s.toList()) {
                        long size = Files.size(p);
                        if (Math.abs(size - expectedSize) > 64) { // ids differ by a few digits, never by KBs
                            sawPartial.set(true);
                        }
                    }
                } catch (Exception e) {
                    sawPartial.set(true);
                }
            }
        });
        reader.start();
        try {
            for (int i = 0; i < count; i++) {
                InboundMessage m = message("agent@agents.example", "<r" + i + "@x>", attachment);
                sink.accept(m, key(m));
            }
        } finally {
            done.set(true);
            reader.join(TimeUnit.SECONDS.toMillis(30));
        }

        assertThat(sawPartial).isFalse();
        assertThat(files(root.resolve("new"))).hasSize(count);
    }
}
