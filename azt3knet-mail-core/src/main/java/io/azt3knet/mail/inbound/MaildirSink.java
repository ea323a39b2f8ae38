package io.azt3knet.mail.inbound;

import io.azt3knet.mail.InboundRejectedException;
import io.azt3knet.mail.MailboxAddress;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standard {@link InboundSink}: writes each message as an RFC 5322 file into a Maildir, either one
 * Maildir for all recipients (the root itself) or one per recipient ({@code <root>/<address>/}).
 *
 * <p>Durability follows the Maildir protocol: the message is written into {@code tmp/} under a unique name,
 * the file is forced to disk, it is renamed atomically into {@code new/}, and the directory is forced too.
 * A reader therefore never sees a partial file in {@code new/}, and a crash at any point leaves at most a
 * stray file in {@code tmp/}, which a later start removes once it is older than
 * {@link Builder#staleTmpAfter(Duration)} (36 hours by default, as the Maildir specification suggests).
 *
 * <p>Redeliveries: the file name carries the {@link DeliveryKey}, and a marker file per key is kept in
 * {@code <root>/.azt3knet-delivered/}, written after the rename. A key with a marker is reported as
 * {@link InboundSink.Result#DUPLICATE}, also after a restart and after a mail client moved or deleted
 * the message. A crash between the rename and the marker is repaired on the next start, which re-creates
 * the markers of the files in {@code new/} and {@code cur/}. Deliveries with the same key are serialised,
 * so two simultaneous identical deliveries store one file. One process per root: two processes writing
 * to the same root may each store a copy of the same redelivery (never lose one).
 *
 * <pre>{@code
 * MaildirSink sink = MaildirSink.builder(Path.of("/var/mail/agents")).perRecipient(true).build();
 * }</pre>
 */
public final class MaildirSink implements InboundSink {

    /** The directory, below the root, holding one marker file per stored delivery key. */
    public static final String INDEX_DIRECTORY = ".azt3knet-delivered";

    private static final Logger LOG = LoggerFactory.getLogger(MaildirSink.class);
    private static final Pattern KEY_IN_NAME = Pattern.compile("K([0-9a-f]{64})\\.");
    private static final int LOCK_STRIPES = 64;

    private final Path root;
    private final boolean perRecipient;
    private final Clock clock;
    private final Path index;
    private final String host;
    private final long pid = ProcessHandle.current().pid();
    private final AtomicLong sequence = new AtomicLong();
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final BeforePublish beforePublish;

    private MaildirSink(Builder b, BeforePublish beforePublish) throws IOException {
        this.root = b.root.toAbsolutePath();
        this.perRecipient = b.perRecipient;
        this.clock = b.clock;
        this.beforePublish = beforePublish;
        this.index = root.resolve(INDEX_DIRECTORY);
        this.host = maildirHostName();
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
        Files.createDirectories(index);
        if (!perRecipient) {
            createMaildir(root);
        }
        for (Path maildir : maildirs()) {
            removeStaleTmp(maildir, b.staleTmpAfter);
            recoverMarkers(maildir);
        }
    }

    /**
     * @param root the Maildir (or, per recipient, the directory holding one Maildir per address); created
     *     if missing
     * @return a builder
     */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** @return the root directory */
    public Path root() {
        return root;
    }

    /**
     * @param recipient an envelope recipient
     * @return the Maildir this sink writes that recipient's messages to
     * @throws InboundRejectedException if, per recipient, the recipient is not a valid address
     */
    public Path maildirFor(String recipient) {
        if (!perRecipient) {
            return root;
        }
        try {
            // the address rules refuse '/', '\', '..' and control characters: no path can escape the root
            return root.resolve(MailboxAddress.parse(recipient.strip()).value());
        } catch (IllegalArgumentException e) {
            throw new InboundRejectedException(InboundRejectedException.Reason.MALFORMED,
                    "the recipient is not a valid e-mail address, so it has no Maildir");
        }
    }

    @Override
    public Result accept(InboundMessage message, DeliveryKey key) throws IOException {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(key, "key");
        Path maildir = maildirFor(message.recipient());
        Path marker = index.resolve(key.value());
        synchronized (locks[Math.floorMod(key.value().hashCode(), LOCK_STRIPES)]) {
            if (Files.exists(marker)) {
                return Result.DUPLICATE;
            }
            if (perRecipient) {
                createMaildir(maildir);
            }
            String name = uniqueName(key);
            Path tmp = maildir.resolve("tmp").resolve(name);
            Path published = maildir.resolve("new").resolve(name);
            try {
                writeDurably(tmp, message);
                beforePublish.run(tmp);
                Files.move(tmp, published, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            forceDirectory(published.getParent());
            writeMarker(marker, root.relativize(published).toString());
            return Result.STORED;
        }
    }

    private static void writeDurably(Path file, InboundMessage message) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
            message.writeTo(out);
            out.flush();
            channel.force(true);
        }
    }

    private void writeMarker(Path marker, String storedAs) throws IOException {
        try (FileChannel channel = FileChannel.open(marker, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(StandardCharsets.UTF_8.encode(storedAs + "\n"));
            channel.force(true);
        } catch (FileAlreadyExistsException e) {
            return; // recovered concurrently on start: same content
        }
        forceDirectory(index);
    }

    /** Maildir unique name: {@code <seconds>.M<micros>P<pid>Q<sequence>K<key>.<host>}. */
    private String uniqueName(DeliveryKey key) {
        Instant now = clock.instant();
        return now.getEpochSecond() + ".M" + (now.getNano() / 1000) + "P" + pid + "Q" + sequence.incrementAndGet()
                + "K" + key.value() + "." + host;
    }

    private List<Path> maildirs() throws IOException {
        if (!perRecipient) {
            return List.of(root);
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path child : children) {
                if (Files.isDirectory(child.resolve("new")) && Files.isDirectory(child.resolve("tmp"))) {
                    found.add(child);
                }
            }
        }
        return found;
    }

    private void removeStaleTmp(Path maildir, Duration staleAfter) throws IOException {
        Instant cutoff = clock.instant().minus(staleAfter);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(maildir.resolve("tmp"))) {
            for (Path f : files) {
                if (Files.getLastModifiedTime(f).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(f);
                    LOG.info("Removed stale temporary Maildir file {}", f);
                }
            }
        }
    }

    /** Re-creates markers lost by a crash between the rename into new/ and the marker write. */
    private void recoverMarkers(Path maildir) throws IOException {
        for (String sub : List.of("new", "cur")) {
            Path dir = maildir.resolve(sub);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    Matcher m = KEY_IN_NAME.matcher(f.getFileName().toString());
                    if (m.find() && !Files.exists(index.resolve(m.group(1)))) {
                        writeMarker(index.resolve(m.group(1)), root.relativize(f).toString());
                        LOG.info("Recovered the delivery marker of {}", f);
                    }
                }
            }
        }
    }

    private static void createMaildir(Path maildir) throws IOException {
        for (String sub : List.of("tmp", "new", "cur")) {
            Files.createDirectories(maildir.resolve(sub));
        }
    }

    /** Makes a rename or a creation in {@code dir} durable. Not all platforms can (Windows cannot): skipped there. */
    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (System.getProperty("os.name", "").startsWith("Windows")) {
                return;
            }
            throw e;
        }
    }

    /** The host part of Maildir names, with '/' and ':' escaped as the specification asks. */
    private static String maildirHostName() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            name = "localhost";
        }
        return name.replace("/", "\\057").replace(":", "\\072");
    }

    /** Test seam: runs between the durable write into tmp/ and the rename into new/. */
    @FunctionalInterface
    interface BeforePublish {
        void run(Path tmpFile) throws IOException;
    }

    /** Builds a {@link MaildirSink}. */
    public static final class Builder {
        private final Path root;
        private boolean perRecipient;
        private Duration staleTmpAfter = Duration.ofHours(36);
        private Clock clock = Clock.systemUTC();

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root");
        }

        /**
         * @param perRecipient {@code true} for one Maildir per recipient address below the root,
         *     {@code false} (default) for the root as the single Maildir
         * @return this builder
         */
        public Builder perRecipient(boolean perRecipient) {
            this.perRecipient = perRecipient;
            return this;
        }

        /** @param staleTmpAfter age after which a leftover file in tmp/ is deleted on start @return this builder */
        public Builder staleTmpAfter(Duration staleTmpAfter) {
            if (staleTmpAfter.isNegative()) {
                throw new IllegalArgumentException("staleTmpAfter must not be negative");
            }
            this.staleTmpAfter = staleTmpAfter;
            return this;
        }

        /** @param clock the time source for file names and staleness @return this builder */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Creates the directories, removes stale temporary files and repairs markers.
         *
         * @return the sink
         * @throws UncheckedIOException if the directories cannot be created or read
         */
        public MaildirSink build() {
            return build((tmp) -> { });
        }

        MaildirSink build(BeforePublish beforePublish) {
            try {
                return new MaildirSink(this, beforePublish);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the Maildir at " + root + ": " + e.getMessage(), e);
            }
        }
    }
}
