package io.azt3knet.mail.inbound.maildir;

import io.azt3knet.mail.inbound.DeliveryKey;
import io.azt3knet.mail.inbound.InboundAttachment;
import io.azt3knet.mail.inbound.InboundMessage;
import io.azt3knet.mail.inbound.InboundSink;

import io.azt3knet.mail.InboundRejectedException;
import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.internal.mime.JakartaMailRuntime;
import io.azt3knet.mail.internal.util.LogText;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standard {@link InboundSink}: writes each message as an RFC 5322 file into a Maildir, either one
 * Maildir for all recipients (the root itself) or one per recipient ({@code <root>/<address>/}).
 *
 * <p>Durability follows the Maildir protocol: the message is written into {@code tmp/} under a unique name,
 * the file is forced to disk, it is renamed atomically into {@code new/}, and the directory is forced too,
 * before {@link #accept} returns. Concurrent deliveries share directory forces (group commit): each waits for
 * a force that began after its own rename, so the guarantee is the same as with one force per message.
 * A reader therefore never sees a partial file in {@code new/}, and a crash at any point leaves at most a
 * stray file in {@code tmp/}, which a later start removes once it is older than
 * {@link Builder#staleTmpAfter(Duration)} (36 hours by default, as the Maildir specification suggests).
 *
 * <p>Redeliveries: a delivery is identified by its {@link DeliveryKey} and by the SHA-256 of its content
 * (envelope, headers, bodies, attachments). Both are part of the file name, and a line
 * {@code <key> <content> <stored file>} is appended to the delivery log {@code <root>/.azt3knet-delivered/delivered.log}
 * after the rename, not forced (a start re-creates the lines of the files in {@code new/} and {@code cur/}, so a
 * power loss costs at most a second copy of a message a client deleted within seconds of its arrival, never a
 * message; a line torn by a crash is cut off on start). One append per message, instead of a marker directory
 * and a marker file per message, spares the file system two inode creations per delivery. The same key with the
 * same content is reported as {@link InboundSink.Result#DUPLICATE}, also after a restart and after a mail
 * client moved or deleted the message. The same key with different content (a mailer reusing a
 * {@code Message-ID}, or a spoofed one) is stored as a message of its own, with a warning. Once the rename
 * succeeded the message counts as published: a failure after it (forcing the directory, writing the marker)
 * never leads to a second copy; the next delivery with that key completes the step instead, and a start
 * re-creates the markers of the files in {@code new/} and {@code cur/}. Deliveries with the same key are
 * serialised, so two simultaneous identical deliveries store one file. One process per root: two processes
 * writing to the same root may each store a copy of the same redelivery (never lose one).
 *
 * <p>A message that cannot be rendered as MIME, or, per recipient, whose recipient is not an address this
 * sink can name a directory after (not a dot-atom, such as {@code jöhn@agents.example.org}), is not refused
 * (the provider would retry it until it gives up, and it would be lost): its content is written as JSON into
 * {@code <root>/quarantine/} with the same write, force and rename discipline, an error is logged, and it
 * counts as stored.
 *
 * <p>The sink keeps the delivery log open between deliveries; {@link #close()} releases it (the sink stays usable).
 *
 * <p>Stored mail is private: files are created {@code 0600} and directories {@code 0700}, whatever the umask.
 * A new per-recipient Maildir is forced into its parent before the first message in it is acknowledged, and
 * the directories whose files a start marks as durable are forced first.
 *
 * <pre>{@code
 * MaildirSink sink = MaildirSink.builder(Path.of("/var/mail/agents")).perRecipient(true).build();
 * }</pre>
 */
public final class MaildirSink implements InboundSink, java.io.Closeable {

    /** The directory, below the root, holding the delivery log (and the marker files of earlier versions). */
    public static final String INDEX_DIRECTORY = ".azt3knet-delivered";
    /** The delivery log's name in {@link #INDEX_DIRECTORY}: one line per stored delivery key and content. */
    static final String DELIVERY_LOG = "delivered.log";
    /** A legacy marker ({@code <index>/<key>} as a file) recorded no content: every content is a redelivery. */
    private static final String ANY_CONTENT = "*";
    private static final Pattern HEX_DIGEST = Pattern.compile("[0-9a-f]{64}");

    /** The directory, below the root, holding messages that could not be rendered as MIME, as JSON. */
    public static final String QUARANTINE_DIRECTORY = "quarantine";

    private static final Logger LOG = LoggerFactory.getLogger(MaildirSink.class);
    /** Enough stripes that concurrent deliveries of different keys rarely wait for each other's fsyncs. */
    private static final int LOCK_STRIPES = 1024;
    /** Rendering only (no transport): one session, instead of loading the providers again per message. */
    private static final jakarta.mail.Session RENDER_SESSION = jakarta.mail.Session.getInstance(new java.util.Properties());
    private final Path root;
    private final boolean perRecipient;
    private final Clock clock;
    private final Path index;
    private final QuarantineWriter quarantine;
    private final String host;
    private final long pid = ProcessHandle.current().pid();
    private final AtomicLong sequence = new AtomicLong();
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final Hook hook;
    private final Disk disk;
    /** One group commit per directory that messages are renamed into. */
    private final Map<Path, DirectorySync> directorySyncs = new ConcurrentHashMap<>();
    /** Delivery key -> content digest -> published file; each inner map is guarded by the key's lock. */
    private final Map<String, Map<String, Published>> published = new ConcurrentHashMap<>();
    /** Delivery key -> content digests in the delivery log; each set is guarded by the key's lock. */
    private final Map<String, Set<String>> logged = new ConcurrentHashMap<>();
    private final Path log;
    /** Appends are whole lines: one writer at a time. */
    private final Object logLock = new Object();
    /** The delivery log, open for appending; guarded by {@link #logLock}. */
    private @Nullable FileChannel logChannel;

    private MaildirSink(Builder b, Hook hook) throws IOException {
        JakartaMailRuntime.ensureStreamProvider();
        this.root = b.root.toAbsolutePath();
        this.perRecipient = b.perRecipient;
        this.clock = b.clock;
        this.hook = hook;
        this.disk = b.disk;
        this.index = root.resolve(INDEX_DIRECTORY);
        this.log = index.resolve(DELIVERY_LOG);
        this.quarantine = new QuarantineWriter(root.resolve(QUARANTINE_DIRECTORY), disk);
        this.host = maildirHostName();
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
        PrivateFiles.createDirectories(index);
        readDeliveryLog();
        PrivateFiles.createDirectories(quarantine.root().resolve("tmp"));
        if (!perRecipient) {
            createMaildir(root);
        }
        new MaildirRecovery(root, perRecipient, clock, b.staleTmpAfter, disk).run(quarantine.root(), this::recovered);
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

    /** The recipient's Maildir, or empty when, per recipient, the recipient cannot name one. */
    private java.util.Optional<Path> maildirOf(String recipient) {
        try {
            return java.util.Optional.of(maildirFor(recipient));
        } catch (InboundRejectedException e) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public Result accept(InboundMessage message, DeliveryKey key) throws IOException {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(key, "key");
        java.util.Optional<Path> maildir = maildirOf(message.recipient());
        String content = ContentDigest.of(message);
        synchronized (locks[Math.floorMod(key.value().hashCode(), LOCK_STRIPES)]) {
            Map<String, Published> sameKey = published.computeIfAbsent(key.value(), k -> new HashMap<>());
            Published known = sameKey.get(content);
            if (known != null) {
                complete(key, content, known);
                return Result.DUPLICATE;
            }
            Set<String> logs = logged.getOrDefault(key.value(), Set.of());
            if (logs.contains(content) || logs.contains(ANY_CONTENT)) {
                return Result.DUPLICATE; // stored before, then moved or deleted by a mail client
            }
            if (!sameKey.isEmpty() || !logs.isEmpty()) {
                LOG.warn("A message for {} reuses the Message-ID of a stored one (key {}) with different "
                        + "content; storing it as a message of its own", LogText.escape(message.recipient()), key);
            }
            Path file;
            if (maildir.isEmpty()) {
                file = quarantine.write(message, uniqueName(key, content), new IllegalArgumentException(
                        "the recipient is not a dot-atom address, so it has no Maildir of its own"));
                LOG.error("The message for {} (key {}) has a recipient that cannot name a Maildir; its content is "
                        + "kept as {} for a person to look at", LogText.escape(message.recipient()), key, file);
            } else {
                if (perRecipient && createMaildir(maildir.get())) {
                    forceDirectory(root); // the new recipient directory must survive a crash before the 2xx
                }
                file = store(maildir.get(), message, key, content);
            }
            Published stored = new Published(file);
            sameKey.put(content, stored);
            complete(key, content, stored);
            if (maildir.isPresent() && stored.path.startsWith(maildir.get())) {
                Arrivals.published(root, maildir.get(), stored.path); // wakes this process's waiters and listeners
            }
            return Result.STORED;
        }
    }

    /** Writes into tmp/, forces, renames into new/ (or, when the message cannot be rendered, into quarantine/). */
    private Path store(Path maildir, InboundMessage message, DeliveryKey key, String content) throws IOException {
        String name = uniqueName(key, content);
        Path tmp = maildir.resolve("tmp").resolve(name);
        RenderFailure unrenderable;
        try {
            writeRendered(tmp, message);
            hook.at(Stage.BEFORE_PUBLISH, tmp);
            Path target = maildir.resolve("new").resolve(name);
            disk.rename(tmp, target);
            return target;
        } catch (RenderFailure e) {
            unrenderable = e;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.deleteIfExists(tmp);
        Path target = quarantine.write(message, name, unrenderable.getCause());
        LOG.error("The message for {} (key {}) cannot be rendered as MIME; its content is kept as {} for a "
                + "person to look at", LogText.escape(message.recipient()), key, LogText.escape(target),
                LogText.escaped(unrenderable.getCause()));
        return target;
    }

    /**
     * Makes a published file durable and marks it, once each. A failure to force the directory is thrown
     * (the file may not survive a power loss, so the provider must deliver again, which completes the step
     * and answers DUPLICATE); a failure to write the marker only costs redelivery detection after the file
     * was deleted and the process restarted, so it is logged and tried again on the next delivery.
     */
    private void complete(DeliveryKey key, String content, Published file) throws IOException {
        if (!file.durable) {
            hook.at(Stage.AFTER_PUBLISH, file.path);
            Path dir = file.path.getParent();
            directorySyncs.computeIfAbsent(dir, d -> new DirectorySync(d, disk)).sync();
            file.durable = true;
        }
        if (!file.marked) {
            try {
                writeMarker(key.value(), content, root.relativize(file.path).toString());
                file.marked = true;
            } catch (IOException | RuntimeException e) {
                LOG.warn("Stored {} but could not write its delivery marker ({}); retrying on the next delivery "
                        + "with key {} and on the next start", LogText.escape(file.path), LogText.escape(e), key);
            }
        }
    }

    private void writeRendered(Path tmp, InboundMessage message) throws IOException, RenderFailure {
        MimeMessage mime;
        try {
            hook.at(Stage.RENDER, tmp);
            mime = InboundMimeRenderer.render(message, RENDER_SESSION);
        } catch (MessagingException | IOException | RuntimeException e) {
            throw new RenderFailure(e);
        }
        try (FileChannel channel = disk.create(tmp)) {
            DiskStream written = new DiskStream(Channels.newOutputStream(channel));
            OutputStream out = new BufferedOutputStream(written, bufferSize(message));
            try {
                mime.writeTo(out);
                out.flush();
            } catch (IOException e) {
                if (written.failure != null) {
                    throw e;
                }
                throw new RenderFailure(e); // thrown by Jakarta Mail while encoding, not by the disk
            } catch (MessagingException | RuntimeException e) {
                throw new RenderFailure(e);
            }
            channel.force(true);
        }
    }

    /**
     * A write buffer about the rendered message's size (bodies, attachments in base64, room for the headers),
     * between 8 and 64 KB: a 64 KB buffer for every 4 KB message was most of the sink's allocation, zeroed each time.
     */
    private static int bufferSize(InboundMessage m) {
        long estimate = 4096L + m.text().map(String::length).orElse(0) + m.html().map(String::length).orElse(0);
        for (InboundAttachment a : m.attachments()) {
            estimate += a.size() / 3 * 4 + 512;
        }
        return (int) Math.max(8 * 1024, Math.min(64 * 1024, estimate));
    }

    /**
     * Appends the delivery's line to the log; not forced: a start re-creates a line that a power loss took. The log
     * stays open between deliveries (an open, a stat and a close less per message); a failed write closes it, and
     * the next delivery opens it again.
     */
    private void writeMarker(String key, String content, String storedAs) throws IOException {
        hook.at(Stage.BEFORE_MARKER, log);
        ByteBuffer line = StandardCharsets.UTF_8.encode(key + " " + content + " " + storedAs + "\n");
        synchronized (logLock) {
            FileChannel channel = logChannel;
            if (channel == null || !channel.isOpen()) { // closed by close(), a failure or an interrupted write
                channel = PrivateFiles.openForAppend(log);
                logChannel = channel;
            }
            try {
                while (line.hasRemaining()) {
                    channel.write(line);
                }
            } catch (IOException | RuntimeException e) {
                closeLog();
                throw e;
            }
        }
        logged.computeIfAbsent(key, k -> new HashSet<>()).add(content);
    }

    /**
     * Closes the delivery log, which the sink keeps open between deliveries. The sink stays usable: the next
     * delivery opens the log again. A sink that is never closed releases the file when it is garbage-collected.
     */
    @Override
    public void close() {
        synchronized (logLock) {
            closeLog();
        }
    }

    private void closeLog() {
        FileChannel channel = logChannel;
        logChannel = null;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("Could not close the delivery log {}", LogText.escape(log), e);
            }
        }
    }

    /**
     * Loads the delivery log, cutting off a last line that a crash tore, and the marker files that earlier
     * versions wrote ({@code <index>/<key>} as a file, then {@code <index>/<key>/<content>}).
     */
    private void readDeliveryLog() throws IOException {
        if (Files.exists(log)) {
            byte[] bytes = Files.readAllBytes(log);
            int whole = bytes.length;
            while (whole > 0 && bytes[whole - 1] != '\n') {
                whole--;
            }
            if (whole < bytes.length) {
                try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
                    channel.truncate(whole);
                }
                LOG.warn("Cut off the last line of {}, torn by a crash; a start re-creates it", LogText.escape(log));
            }
            for (String line : new String(bytes, 0, whole, StandardCharsets.UTF_8).split("\n")) {
                String[] fields = line.split(" ", 3);
                if (fields.length == 3 && HEX_DIGEST.matcher(fields[0]).matches()
                        && HEX_DIGEST.matcher(fields[1]).matches()) {
                    logged.computeIfAbsent(fields[0], k -> new HashSet<>()).add(fields[1]);
                }
            }
        }
        try (DirectoryStream<Path> legacy = Files.newDirectoryStream(index,
                p -> HEX_DIGEST.matcher(p.getFileName().toString()).matches())) {
            for (Path marker : legacy) {
                Set<String> contents = logged.computeIfAbsent(marker.getFileName().toString(), k -> new HashSet<>());
                if (!Files.isDirectory(marker)) {
                    contents.add(ANY_CONTENT);
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(marker)) {
                    files.forEach(f -> contents.add(f.getFileName().toString()));
                }
            }
        }
    }

    /** Maildir unique name: {@code <seconds>.M<micros>P<pid>Q<sequence>K<key>C<content>.<host>}. */
    private String uniqueName(DeliveryKey key, String content) {
        Instant now = clock.instant();
        return now.getEpochSecond() + ".M" + (now.getNano() / 1000) + "P" + pid + "Q" + sequence.incrementAndGet()
                + "K" + key.value() + "C" + content + "." + host;
    }

    /** Remembers a file a start found published, and re-creates its marker if a crash lost it. */
    private void recovered(Path file, DeliveryKey key, String content) throws IOException {
        Published p = new Published(file);
        p.durable = true;
        p.marked = logged.getOrDefault(key.value(), Set.of()).contains(content);
        published.computeIfAbsent(key.value(), k -> new HashMap<>()).putIfAbsent(content, p);
        if (!p.marked) {
            complete(key, content, p);
            LOG.info("Recovered the delivery marker of {}", LogText.escape(file));
        }
    }

    /**
     * Creates the Maildir's {@code tmp/}, {@code new/} and {@code cur/} ({@code 0700}); when it created any,
     * forces the Maildir directory so that they survive a crash.
     *
     * @return whether the Maildir directory itself was created (its parent must then be forced too)
     */
    private boolean createMaildir(Path maildir) throws IOException {
        if (Files.isDirectory(maildir.resolve("tmp")) && Files.isDirectory(maildir.resolve("new"))
                && Files.isDirectory(maildir.resolve("cur"))) {
            return false;
        }
        boolean createdItself = false;
        for (String sub : List.of("tmp", "new", "cur")) {
            createdItself |= PrivateFiles.createDirectories(maildir.resolve(sub)).contains(maildir.toAbsolutePath());
        }
        forceDirectory(maildir);
        return createdItself;
    }

    /** Makes the creation of Maildir directories durable, through the sink's {@link Disk} (tests observe it). */
    private void forceDirectory(Path dir) throws IOException {
        disk.forceDirectory(dir);
    }

    /**
     * The host part of Maildir names, with '/' and ':' escaped as the specification asks: the kernel's host name, read
     * without {@code InetAddress.getLocalHost()}, which would also resolve it (a DNS lookup, and a stall on a machine
     * without network) although only the name is needed.
     */
    static String maildirHostName() {
        String name = "";
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname"); // Linux
            if (Files.isReadable(kernel)) {
                name = Files.readString(kernel, StandardCharsets.US_ASCII).strip();
            }
        } catch (IOException | RuntimeException e) {
            name = "";
        }
        for (String variable : List.of("HOSTNAME", "COMPUTERNAME")) { // other systems' shells and Windows
            String value = System.getenv(variable);
            if (name.isEmpty() && value != null) {
                name = value.strip();
            }
        }
        if (name.isEmpty()) {
            name = "localhost";
        }
        return name.replace("/", "\\057").replace(":", "\\072");
    }

    /** A file in new/, cur/ or quarantine/; its flags are guarded by its key's lock. */
    private static final class Published {
        final Path path;
        boolean durable;
        boolean marked;

        Published(Path path) {
            this.path = path;
        }
    }

    /** The message could not be rendered as MIME (as opposed to: the disk failed). */
    private static final class RenderFailure extends Exception {
        private static final long serialVersionUID = 1L;

        RenderFailure(Throwable cause) {
            super(cause);
        }
    }

    /** Remembers whether the disk (rather than the renderer writing to it) failed. */
    private static final class DiskStream extends FilterOutputStream {
        @Nullable IOException failure;

        DiskStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
    }

    /** The durability steps a {@link Hook} observes, in the order they happen for one message. */
    public enum Stage {
        /** Before the message is rendered; a failure here counts as a rendering failure. */
        RENDER,
        /** Between the durable write into tmp/ and the rename into new/. */
        BEFORE_PUBLISH,
        /** After the rename, before the directory is forced. */
        AFTER_PUBLISH,
        /** Before the delivery marker is written. */
        BEFORE_MARKER
    }

    /**
     * An observer of the durability steps, for tests and metrics: runs at each {@link Stage} on the writing
     * thread; an exception thrown here counts as a failure of that step.
     */
    @FunctionalInterface
    public interface Hook {
        /**
         * @param stage the step about to happen (or just done, see {@link Stage})
         * @param file the file concerned
         * @throws IOException to simulate a failure of the step
         */
        void at(Stage stage, Path file) throws IOException;
    }

    /** Builds a {@link MaildirSink}. */
    public static final class Builder {
        private final Path root;
        private boolean perRecipient;
        private Duration staleTmpAfter = Duration.ofHours(36);
        private Clock clock = Clock.systemUTC();
        private Disk disk = Disk.REAL;

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

        /**
         * @param staleTmpAfter age after which a leftover file in tmp/ is deleted on start
         * @return this builder
         */
        public Builder staleTmpAfter(Duration staleTmpAfter) {
            if (staleTmpAfter.isNegative()) {
                throw new IllegalArgumentException("staleTmpAfter must not be negative");
            }
            this.staleTmpAfter = staleTmpAfter;
            return this;
        }

        /**
         * @param clock the time source for file names and staleness
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** For tests: the file-system steps, to observe them. */
        Builder disk(Disk disk) {
            this.disk = Objects.requireNonNull(disk, "disk");
            return this;
        }

        /**
         * Creates the directories, removes stale temporary files and repairs markers.
         *
         * @return the sink
         * @throws UncheckedIOException if the directories cannot be created or read
         */
        public MaildirSink build() {
            return build((stage, file) -> { });
        }

        /**
         * As {@link #build()}, with a hook observing every durability step.
         *
         * @param hook the observer
         * @return the sink
         */
        public MaildirSink build(Hook hook) {
            try {
                return new MaildirSink(this, hook);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the Maildir at " + root + ": " + e.getMessage(), e);
            }
        }
    }
}
