package io.azt3knet.mail.inbound.maildir;

import io.azt3knet.mail.inbound.DeliveryKey;
import io.azt3knet.mail.inbound.InboundAttachment;
import io.azt3knet.mail.inbound.InboundMessage;
import io.azt3knet.mail.inbound.InboundSink;
import io.azt3knet.mail.inbound.MessageHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.azt3knet.mail.InboundRejectedException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
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
import java.util.concurrent.atomic.AtomicInteger;
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

    private Path deliveryLog() {
        return root.resolve(MaildirSink.INDEX_DIRECTORY).resolve(MaildirSink.DELIVERY_LOG);
    }

    /** The delivery log's lines for a key. */
    private List<String> logged(DeliveryKey key) throws Exception {
        if (!Files.exists(deliveryLog())) {
            return List.of();
        }
        return Files.readAllLines(deliveryLog()).stream().filter(l -> l.startsWith(key.value() + " ")).toList();
    }

    private void deleteMarkers(DeliveryKey key) throws Exception {
        List<String> others = Files.readAllLines(deliveryLog()).stream()
                .filter(l -> !l.startsWith(key.value() + " ")).toList();
        Files.write(deliveryLog(), others);
    }

    private static InboundMessage withText(String messageId, String text) {
        return InboundMessage.builder().recipient("agent@agents.example").from("sender@example.org")
                .subject("s").headers(MessageHeaders.builder().add("Message-ID", messageId).build()).text(text).build();
    }

    @Test
    void aFailureToForceTheDirectoryAfterTheRenameIsRetriedByTheRedeliveryWithoutASecondCopy() throws Exception {
        AtomicInteger failuresLeft = new AtomicInteger(1);
        MaildirSink sink = MaildirSink.builder(root).build((stage, file) -> {
            if (stage == MaildirSink.Stage.AFTER_PUBLISH && failuresLeft.getAndDecrement() > 0) {
                throw new IOException("fsync failed (simulated)");
            }
        });
        InboundMessage m = message("<published@example.org>");

        assertThatThrownBy(() -> sink.accept(m, key(m))).isInstanceOf(IOException.class);
        assertThat(files(root.resolve("new"))).as("the rename happened before the failure").hasSize(1);
        assertThat(sink.accept(m, key(m))).isEqualTo(InboundSink.Result.DUPLICATE);
        assertThat(sink.accept(m, key(m))).isEqualTo(InboundSink.Result.DUPLICATE);

        assertThat(files(root.resolve("new"))).hasSize(1);
        assertThat(files(root.resolve("tmp"))).isEmpty();
        assertThat(logged(key(m))).hasSize(1);
    }

    @Test
    void aMarkerThatCannotBeWrittenNeitherFailsTheDeliveryNorLetsARedeliveryStoreASecondCopy() throws Exception {
        AtomicBoolean markersFail = new AtomicBoolean(true);
        MaildirSink sink = MaildirSink.builder(root).build((stage, file) -> {
            if (stage == MaildirSink.Stage.BEFORE_MARKER && markersFail.get()) {
                throw new IOException("index not writable (simulated)");
            }
        });
        InboundMessage m = message("<unmarked@example.org>");

        assertThat(sink.accept(m, key(m))).isEqualTo(InboundSink.Result.STORED);
        assertThat(sink.accept(m, key(m))).isEqualTo(InboundSink.Result.DUPLICATE);
        assertThat(files(root.resolve("new"))).hasSize(1);
        assertThat(logged(key(m))).isEmpty();

        markersFail.set(false); // the index is writable again: the next redelivery completes the marker
        assertThat(sink.accept(m, key(m))).isEqualTo(InboundSink.Result.DUPLICATE);
        assertThat(logged(key(m))).hasSize(1);
        Files.delete(files(root.resolve("new")).get(0)); // the reader deleted it
        assertThat(MaildirSink.builder(root).build().accept(m, key(m))).isEqualTo(InboundSink.Result.DUPLICATE);
        assertThat(files(root.resolve("new"))).isEmpty();
    }

    @Test
    void storesADifferentMessageThatReusesAMessageIdAsAMessageOfItsOwnAlsoAfterARestart() throws Exception {
        InboundMessage original = withText("<reused@example.org>", "the original");
        InboundMessage impostor = withText("<reused@example.org>", "a different message, same Message-ID");
        MaildirSink sink = MaildirSink.builder(root).build();

        assertThat(sink.accept(original, key(original))).isEqualTo(InboundSink.Result.STORED);
        assertThat(sink.accept(impostor, key(impostor))).isEqualTo(InboundSink.Result.STORED);
        assertThat(sink.accept(original, key(original))).isEqualTo(InboundSink.Result.DUPLICATE);
        assertThat(sink.accept(impostor, key(impostor))).isEqualTo(InboundSink.Result.DUPLICATE);
        assertThat(files(root.resolve("new"))).hasSize(2);
        assertThat(files(root.resolve("new"))).extracting(p -> new String(Files.readAllBytes(p), StandardCharsets.US_ASCII))
                .anySatisfy(text -> assertThat(text).contains("the original"))
                .anySatisfy(text -> assertThat(text).contains("a different message, same Message-ID"));

        MaildirSink restarted = MaildirSink.builder(root).build();
        assertThat(restarted.accept(impostor, key(impostor))).isEqualTo(InboundSink.Result.DUPLICATE);
        for (Path stored : files(root.resolve("new"))) {
            Files.delete(stored); // read and deleted by a mail client
        }
        MaildirSink afterDeletion = MaildirSink.builder(root).build();
        assertThat(afterDeletion.accept(original, key(original))).isEqualTo(InboundSink.Result.DUPLICATE);
        assertThat(afterDeletion.accept(impostor, key(impostor))).isEqualTo(InboundSink.Result.DUPLICATE);
        InboundMessage third = withText("<reused@example.org>", "a third one");
        assertThat(afterDeletion.accept(third, key(third))).isEqualTo(InboundSink.Result.STORED);
        assertThat(files(root.resolve("new"))).hasSize(1);
    }

    @Test
    void keepsAMessageThatCannotBeRenderedAsJsonInQuarantineAndAcknowledgesItOnce() throws Exception {
        MaildirSink.Hook renderingFails = (stage, file) -> {
            if (stage == MaildirSink.Stage.RENDER) {
                throw new IllegalStateException("Jakarta Mail refused a part (simulated)");
            }
        };
        byte[] attachment = {0, 1, 2, (byte) 0xff};
        InboundMessage m = InboundMessage.builder().recipient("agent@agents.example").envelopeSender("b@example.org")
                .from("Sender <sender@example.org>").subject("Grüße")
                .headers(MessageHeaders.builder().add("Message-ID", "<broken@example.org>")
                        .add("Received", "from a by b").add("Received", "from c by d").build())
                .text("the text").customId("order-42").payload("{\"ticket\":7}")
                .attachments(List.of(new InboundAttachment("data.bin", "application/octet-stream", "", false, attachment)))
                .build();
        MaildirSink sink = MaildirSink.builder(root).build(renderingFails);

        assertThat(sink.accept(m, key(m))).isEqualTo(InboundSink.Result.STORED);
        assertThat(sink.accept(m, key(m))).isEqualTo(InboundSink.Result.DUPLICATE);
        assertThat(MaildirSink.builder(root).build(renderingFails).accept(m, key(m)))
                .as("also after a restart").isEqualTo(InboundSink.Result.DUPLICATE);

        assertThat(files(root.resolve("new"))).isEmpty();
        assertThat(files(root.resolve("tmp"))).isEmpty();
        Path quarantine = root.resolve(MaildirSink.QUARANTINE_DIRECTORY);
        assertThat(files(quarantine.resolve("tmp"))).isEmpty();
        List<Path> kept = files(quarantine).stream().filter(Files::isRegularFile).toList();
        assertThat(kept).singleElement().satisfies(p -> assertThat(p.getFileName().toString()).endsWith(".json"));
        JsonNode json = new ObjectMapper().readTree(kept.get(0).toFile());
        assertThat(json.path("quarantinedBecause").asText()).contains("Jakarta Mail refused a part");
        assertThat(json.path("recipient").asText()).isEqualTo("agent@agents.example");
        assertThat(json.path("envelopeSender").asText()).isEqualTo("b@example.org");
        assertThat(json.path("subject").asText()).isEqualTo("Grüße");
        assertThat(json.path("headers")).extracting(h -> h.path("name").asText() + ": " + h.path("value").asText())
                .containsExactly("Message-ID: <broken@example.org>", "Received: from a by b", "Received: from c by d");
        assertThat(json.path("text").asText()).isEqualTo("the text");
        assertThat(json.path("customId").asText()).isEqualTo("order-42");
        assertThat(json.path("payload").asText()).isEqualTo("{\"ticket\":7}");
        assertThat(json.path("attachments").get(0).path("fileName").asText()).isEqualTo("data.bin");
        assertThat(json.path("attachments").get(0).path("contentBase64").binaryValue()).isEqualTo(attachment);
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
        assertThat(stored.getFileName().toString()).matches("\\d+\\.M\\d+P\\d+Q\\d+K" + key(m).value() + "C[0-9a-f]{64}\\..+")
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
    void quarantinesARecipientThatCouldEscapeTheRootOrIsNoDotAtomAndCountsItAsStored() throws Exception {
        MaildirSink sink = MaildirSink.builder(root).perRecipient(true).build();
        List<String> recipients = List.of("../../etc@x.org", "a/b@x.org", "..", "", "a@..", "jöhn@agents.example.org",
                "a\nb@x.org");
        for (String recipient : recipients) {
            InboundMessage m = message(recipient, "<1@x>", new byte[0]);

            assertThat(sink.accept(m, DeliveryKey.forMessageId(recipient, "<1@x>")))
                    .as(recipient).isEqualTo(InboundSink.Result.STORED);
            assertThat(sink.accept(m, DeliveryKey.forMessageId(recipient, "<1@x>")))
                    .as("a redelivery of " + recipient).isEqualTo(InboundSink.Result.DUPLICATE);
        }
        assertThat(root.getParent().resolve("etc@x.org")).doesNotExist();
        List<Path> quarantined = files(root.resolve(MaildirSink.QUARANTINE_DIRECTORY)).stream()
                .filter(Files::isRegularFile).toList();
        assertThat(quarantined).hasSize(recipients.size());
        assertThat(quarantined).anySatisfy(f -> assertThat(Files.readString(f)).contains("jöhn@agents.example.org"));
        try (Stream<Path> dirs = Files.list(root)) {
            assertThat(dirs.map(d -> d.getFileName().toString()))
                    .containsExactlyInAnyOrder(MaildirSink.INDEX_DIRECTORY, MaildirSink.QUARANTINE_DIRECTORY);
        }
    }

    /** Asserts that every file below {@code base} is {@code 0600} and every directory {@code 0700}. */
    private static void assertOwnerOnly(Path base) throws Exception {
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : all.toList()) {
                String mode = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                assertThat(mode).as(base.relativize(p).toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
            }
        }
    }

    @Test
    void createsFilesOwnerReadableOnlyAndDirectoriesOwnerOnlyWhateverTheUmask() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                root.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path base = root.resolve("mail");
        MaildirSink sink = MaildirSink.builder(base).perRecipient(true).build();
        InboundMessage m = message("a@agents.example", "<p@x>", new byte[0]);
        sink.accept(m, key(m));
        InboundMessage bad = message("jöhn@agents.example", "<q@x>", new byte[0]);
        sink.accept(bad, DeliveryKey.forMessageId(bad.recipient(), "<q@x>"));

        assertOwnerOnly(base);
    }

    @Test
    void anOddUmaskThatTakesTheOwnersWriteBitStillYieldsPrivateFilesForEveryMessage() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                root.getFileSystem().supportedFileAttributeViews().contains("posix") && Files.isExecutable(Path.of("/bin/sh")));
        Path base = root.resolve("mail");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // umask 0277: a file asked for as 0600 comes out 0400, a directory 0500; each one must be set again
        Process child = new ProcessBuilder("/bin/sh", "-c", "umask 0277 && exec \"$0\" -cp \"$1\" \"$2\" \"$3\" ada@agents.example 3 0",
                javaBin, System.getProperty("java.class.path"), InboxWriterMain.class.getName(), base.toString())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();

        assertThat(files(base.resolve("ada@agents.example").resolve("new"))).hasSize(3);
        assertOwnerOnly(base);
    }

    @Test
    void keepsTheDeliveryLogOpenBetweenDeliveriesAndWorksOnAfterCloseReleasedIt() throws Exception {
        MaildirSink sink = MaildirSink.builder(root).build();
        InboundMessage first = message("<open-1@example.org>");
        InboundMessage second = message("<open-2@example.org>");
        InboundMessage third = message("<open-3@example.org>");
        sink.accept(first, key(first));
        sink.accept(second, key(second));
        sink.close();
        sink.close(); // closing twice is harmless
        assertThat(sink.accept(third, key(third))).isEqualTo(InboundSink.Result.STORED);
        sink.close();

        assertThat(logged(key(first))).hasSize(1);
        assertThat(logged(key(second))).hasSize(1);
        assertThat(logged(key(third))).as("the log was opened again after close").hasSize(1);
        assertThat(Files.readAllLines(deliveryLog())).hasSize(3);
        assertThat(MaildirSink.builder(root).build().accept(third, key(third))).isEqualTo(InboundSink.Result.DUPLICATE);
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
        deleteMarkers(key(m));

        assertThat(MaildirSink.builder(root).build().accept(m, key(m))).isEqualTo(InboundSink.Result.DUPLICATE);
        assertThat(files(root.resolve("new"))).hasSize(1);
    }

    @Test
    void aLineTornByACrashIsCutOffAndTheLinesBeforeItStillCount() throws Exception {
        InboundMessage first = message("<first@example.org>");
        InboundMessage torn = message("<torn@example.org>");
        MaildirSink sink = MaildirSink.builder(root).build();
        sink.accept(first, key(first));
        sink.accept(torn, key(torn));
        for (Path f : files(root.resolve("new"))) {
            Files.delete(f); // a reader deleted both: only the log remembers them
        }
        String log = Files.readString(deliveryLog());
        Files.writeString(deliveryLog(), log.substring(0, log.length() - 20)); // the second append was torn

        assertThat(MaildirSink.builder(root).build().accept(first, key(first))).isEqualTo(InboundSink.Result.DUPLICATE);
        assertThat(Files.readString(deliveryLog())).as("the torn line is cut off").endsWith("\n")
                .doesNotContain(key(torn).value());
        assertThat(files(root.resolve("new"))).isEmpty();
    }

    @Test
    void recognisesTheMarkerFilesOfEarlierVersions() throws Exception {
        InboundMessage keyOnly = message("<key-only@example.org>");
        InboundMessage perContent = message("<per-content@example.org>");
        Path index = root.resolve(MaildirSink.INDEX_DIRECTORY);
        Files.createDirectories(index);
        Files.writeString(index.resolve(key(keyOnly).value()), "new/old-name\n"); // first release: one file per key
        Path contents = Files.createDirectories(index.resolve(key(perContent).value()));
        Files.writeString(contents.resolve(ContentDigest.of(perContent)), "new/old-name\n"); // then one per content

        MaildirSink sink = MaildirSink.builder(root).build();

        assertThat(sink.accept(keyOnly, key(keyOnly))).isEqualTo(InboundSink.Result.DUPLICATE);
        assertThat(sink.accept(perContent, key(perContent))).isEqualTo(InboundSink.Result.DUPLICATE);
        InboundMessage changed = withText("<per-content@example.org>", "other content, same Message-ID");
        assertThat(sink.accept(changed, key(changed))).isEqualTo(InboundSink.Result.STORED);
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
        assertThat(deliveryLog()).as("the delivery is not marked as stored").doesNotExist();
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
        long expectedSize = InboundMimeRenderer.toBytes(message("agent@agents.example", "<r0@x>", attachment)).length;
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
