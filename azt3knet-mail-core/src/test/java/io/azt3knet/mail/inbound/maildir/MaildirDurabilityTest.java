package io.azt3knet.mail.inbound.maildir;

import static org.assertj.core.api.Assertions.assertThat;

import io.azt3knet.mail.MailboxAddress;
import java.nio.file.Files;
import io.azt3knet.mail.inbound.DeliveryKey;
import io.azt3knet.mail.inbound.InboundMessage;
import io.azt3knet.mail.Secret;
import io.azt3knet.mail.inbound.TestJsonParser;
import io.azt3knet.mail.inbound.webhook.InboundWebhookHandler;
import io.azt3knet.mail.inbound.webhook.InboundWebhookServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the durability order of every stored message through the {@link Disk} seam: the content is written,
 * the file forced, renamed into {@code new/}, the directory forced, and only then is the delivery
 * acknowledged. Skipping either force (the two bugs a SIGKILL test cannot see, since the page cache survives
 * it) fails these tests; so does answering before the directory force, also when forces are grouped.
 */
class MaildirDurabilityTest {

    private static final Secret SECRET = Secret.of("durability-test-secret");
    private static final MailboxAddress ADA = MailboxAddress.parse("ada@agents.example");

    @TempDir
    Path root;

    /** One observed step: what, and the file or directory (by name). */
    record Step(String what, String name) {
    }

    /** The real file system, recording each step in order. */
    static final class RecordingDisk implements Disk {
        final List<Step> steps = new ArrayList<>();
        private final Duration directoryForceTime;
        private final int failEveryNthDirectoryForce;
        private int directoryForces;

        RecordingDisk(Duration directoryForceTime) {
            this(directoryForceTime, 0);
        }

        /** As above, with every n-th directory force failing (0: none). */
        RecordingDisk(Duration directoryForceTime, int failEveryNthDirectoryForce) {
            this.directoryForceTime = directoryForceTime;
            this.failEveryNthDirectoryForce = failEveryNthDirectoryForce;
        }

        synchronized void record(String what, Path path) {
            steps.add(new Step(what, path.getFileName().toString()));
        }

        synchronized List<Step> steps() {
            return List.copyOf(steps);
        }

        @Override
        public FileChannel create(Path file) throws IOException {
            record("create", file);
            return new RecordingChannel(Disk.REAL.create(file), file, this);
        }

        @Override
        public void rename(Path from, Path to) throws IOException {
            Disk.REAL.rename(from, to);
            record("rename", to);
        }

        @Override
        public void forceDirectory(Path dir) throws IOException {
            boolean fail;
            synchronized (this) {
                directoryForces++;
                fail = failEveryNthDirectoryForce > 0 && directoryForces % failEveryNthDirectoryForce == 0;
            }
            record("force-dir-start", dir);
            try {
                Thread.sleep(directoryForceTime.toMillis()); // a slow disk, so that concurrent renames pile up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (fail) {
                record("force-dir-failed", dir);
                throw new IOException("simulated failure forcing " + dir);
            }
            Disk.REAL.forceDirectory(dir);
            record("force-dir", dir);
        }
    }

    /** Delegates to a real channel, recording writes and forces. */
    static final class RecordingChannel extends FileChannel {
        private final FileChannel real;
        private final Path file;
        private final RecordingDisk disk;

        RecordingChannel(FileChannel real, Path file, RecordingDisk disk) {
            this.real = real;
            this.file = file;
            this.disk = disk;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            disk.record("write", file);
            return real.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            disk.record("write", file);
            return real.write(srcs, offset, length);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            disk.record("write", file);
            return real.write(src, position);
        }

        @Override
        public void force(boolean metaData) throws IOException {
            real.force(metaData);
            disk.record("force", file);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            disk.record("write", file);
            return real.transferFrom(src, position, count);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            throw new UnsupportedOperationException("the sink never maps files");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }

    /** Asserts, for the message published as {@code name}, write < force < rename < directory force < {@code ack}. */
    private static void assertDurableBeforeAck(List<Step> steps, String name, Step ack) {
        int lastWrite = -1;
        int force = -1;
        int rename = -1;
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (s.name().equals(name) && s.what().equals("write")) {
                lastWrite = i;
            } else if (s.name().equals(name) && s.what().equals("force")) {
                force = i;
            } else if (s.name().equals(name) && s.what().equals("rename")) {
                rename = i;
            }
        }
        int ackAt = steps.indexOf(ack);
        assertThat(lastWrite).as("%s: content written", name).isGreaterThanOrEqualTo(0);
        assertThat(force).as("%s: file forced after its last write", name).isGreaterThan(lastWrite);
        assertThat(rename).as("%s: renamed into new/ after the force", name).isGreaterThan(force);
        assertThat(ackAt).as("%s: acknowledged", name).isGreaterThan(rename);
        int forceStart = -1;
        for (int i = rename + 1; i < ackAt; i++) {
            Step s = steps.get(i);
            if (s.name().equals("new") && s.what().equals("force-dir-start")) {
                forceStart = i;
            }
            if (forceStart >= 0 && s.name().equals("new") && s.what().equals("force-dir")) {
                return; // a directory force that began after the rename completed before the acknowledgement
            }
        }
        throw new AssertionError(name + ": no force of new/ began after its rename and completed before it was "
                + "acknowledged; its steps and the directory's: " + steps.stream()
                .filter(s -> s.name().equals(name) || s.name().equals("new") || s.equals(ack)).toList());
    }

    private static String published(List<Step> steps, int nth) {
        return steps.stream().filter(s -> s.what().equals("rename")).skip(nth).findFirst().orElseThrow().name();
    }

    @Test
    void eachMessageIsWrittenForcedRenamedAndItsDirectoryForcedBeforeTheWebhookAnswers200() throws Exception {
        RecordingDisk disk = new RecordingDisk(Duration.ZERO);
        MaildirSink sink = MaildirSink.builder(root).disk(disk).build();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (InboundWebhookServer server = InboundWebhookServer.builder(InboundWebhookHandler.builder(new TestJsonParser(), sink).secret(SECRET).build())
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).path("/inbound").start()) {
            for (int n = 0; n < 3; n++) {
                String body = TestJsonParser.payload(ADA.value(), "<d" + n + "@example.org>", "S " + n, "body " + n);
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + server.port() + "/inbound"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                                ("mailjet:" + SECRET.reveal()).getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                disk.record("http-200", Path.of("request-" + n));
            }
        }
        List<Step> steps = disk.steps();
        for (int n = 0; n < 3; n++) {
            assertDurableBeforeAck(steps, published(steps, n), new Step("http-200", "request-" + n));
        }
    }

    /**
     * Delivers {@code perThread} messages from each of {@code threads} threads at once, recording {@code returned}
     * when a delivery returns.
     *
     * @return how many deliveries failed with an {@link IOException} (the provider would deliver them again)
     */
    private static int deliverConcurrently(MaildirSink sink, RecordingDisk disk, int threads, int perThread)
            throws Exception {
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String id = "<g" + thread + "-" + i + "@example.org>";
                        try {
                            MaildirMessageStoreTest.store(sink, MaildirMessageStoreTest.mail(ADA, id, "x@example.org", id));
                            disk.record("returned", Path.of(id));
                        } catch (IOException e) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return failed.get();
    }

    /** Asserts the durability order for every stored message whose delivery returned (the subject is its id). */
    private void assertEveryReturnedDeliveryWasDurable(List<Step> steps) throws Exception {
        try (MaildirMessageStore store = MaildirMessageStore.builder(root).build()) {
            for (var summary : store.list(ADA, io.azt3knet.mail.inbox.MessageQuery.builder().limit(1000).build())) {
                Step returned = new Step("returned", summary.subject());
                if (steps.contains(returned)) {
                    assertDurableBeforeAck(steps, summary.id(), returned);
                }
            }
        }
    }

    @Test
    void groupedDirectoryForcesStillCoverEveryRenameBeforeItsDeliveryReturns() throws Exception {
        RecordingDisk disk = new RecordingDisk(Duration.ofMillis(20));
        MaildirSink sink = MaildirSink.builder(root).disk(disk).build();
        int messages = 16 * 5;

        assertThat(deliverConcurrently(sink, disk, 16, 5)).isZero();

        List<Step> steps = disk.steps();
        assertThat(steps.stream().filter(s -> s.what().equals("returned"))).hasSize(messages);
        assertEveryReturnedDeliveryWasDurable(steps);
        long directoryForces = steps.stream().filter(s -> s.what().equals("force-dir") && s.name().equals("new")).count();
        assertThat(directoryForces).as("concurrent deliveries share directory forces").isLessThan(messages);
    }

    @Test
    void aFailedGroupedDirectoryForceFailsOnlyTheDeliveryThatRanItAndTheOthersWaitForTheNextOne() throws Exception {
        RecordingDisk disk = new RecordingDisk(Duration.ofMillis(10), 3);
        MaildirSink sink = MaildirSink.builder(root).disk(disk).build();

        int failedDeliveries = deliverConcurrently(sink, disk, 16, 5);

        List<Step> steps = disk.steps();
        long failedForces = steps.stream().filter(s -> s.what().equals("force-dir-failed") && s.name().equals("new"))
                .count();
        assertThat(failedForces).as("the test saw forces fail").isPositive();
        assertThat(failedDeliveries).as("each failed force fails the one delivery that ran it, no other")
                .isEqualTo((int) failedForces);
        assertEveryReturnedDeliveryWasDurable(steps);
    }

    private static int indexOf(List<Step> steps, Step step, int from) {
        for (int i = from; i < steps.size(); i++) {
            if (steps.get(i).equals(step)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aNewRecipientDirectoryIsForcedIntoItsParentBeforeItsFirstDeliveryReturns() throws Exception {
        RecordingDisk disk = new RecordingDisk(Duration.ZERO);
        MaildirSink sink = MaildirSink.builder(root).perRecipient(true).disk(disk).build();
        String rootName = root.getFileName().toString();
        int start = disk.steps().size();

        MaildirMessageStoreTest.store(sink, MaildirMessageStoreTest.mail(ADA, "<n1@example.org>", "x@example.org", "one"));
        disk.record("returned", Path.of("first"));
        MaildirMessageStoreTest.store(sink, MaildirMessageStoreTest.mail(ADA, "<n2@example.org>", "x@example.org", "two"));
        disk.record("returned", Path.of("second"));

        List<Step> steps = disk.steps();
        int firstReturned = indexOf(steps, new Step("returned", "first"), start);
        int maildirForced = indexOf(steps, new Step("force-dir", ADA.value()), start);
        int rootForced = indexOf(steps, new Step("force-dir", rootName), start);
        int firstCreate = indexOf(steps, new Step("create", published(steps, 0)), start);
        assertThat(maildirForced).as("the new Maildir (tmp/, new/, cur/ made) is forced").isBetween(start, firstReturned);
        assertThat(rootForced).as("its entry in the parent is forced").isBetween(start, firstReturned);
        assertThat(rootForced).as("before the message is written into it").isLessThan(firstCreate);
        assertThat(steps.subList(firstReturned, steps.size())).as("an existing recipient directory is not forced again")
                .doesNotContain(new Step("force-dir", rootName), new Step("force-dir", ADA.value()));
        assertThat(Files.isDirectory(root.resolve(ADA.value()).resolve("new"))).isTrue();
    }

    @Test
    void startUpRecoveryForcesTheDirectoriesWhoseFilesItTakesAsDurable() throws Exception {
        MaildirSink first = MaildirSink.builder(root).perRecipient(true).build();
        MaildirMessageStoreTest.store(first, MaildirMessageStoreTest.mail(ADA, "<r1@example.org>", "x@example.org", "r"));
        RecordingDisk disk = new RecordingDisk(Duration.ZERO);

        MaildirSink restarted = MaildirSink.builder(root).perRecipient(true).disk(disk).build();

        assertThat(disk.steps()).as("new/ holding the message, the recipient's Maildir, and the root")
                .contains(new Step("force-dir", "new"), new Step("force-dir", ADA.value()),
                        new Step("force-dir", root.getFileName().toString()));
        // and it knows the message again: a redelivery is a duplicate
        InboundMessage again = MaildirMessageStoreTest.mail(ADA, "<r1@example.org>", "x@example.org", "r");
        assertThat(restarted.accept(again, DeliveryKey.forMessageId(again.recipient(), again.messageId().orElseThrow())))
                .isEqualTo(io.azt3knet.mail.inbound.InboundSink.Result.DUPLICATE);
    }
}
