package io.azt3knet.mail.inbound.maildir;

import io.azt3knet.mail.MailboxAddress;
import io.azt3knet.mail.inbox.MessageListener;
import io.azt3knet.mail.inbox.MessageMatch;
import io.azt3knet.mail.inbox.MessageQuery;
import io.azt3knet.mail.inbox.MessageStore;
import io.azt3knet.mail.MessageStoreException;
import io.azt3knet.mail.inbox.MessageSummary;
import io.azt3knet.mail.MessageWaitTimeoutException;
import io.azt3knet.mail.inbox.StoredMessage;
import io.azt3knet.mail.inbox.Subscription;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The {@link MessageStore} over Maildirs, as {@link MaildirSink} writes them (and as any Maildir delivery
 * agent does). Two layouts:
 * <ul>
 *   <li>{@link Layout#PER_RECIPIENT}: one Maildir per address, {@code <root>/<address>/};</li>
 *   <li>{@link Layout#SHARED}: the root is one Maildir for every address, and a message belongs to the
 *       address in its first {@code Delivered-To} header (which {@link MaildirSink} writes first).</li>
 * </ul>
 * {@link Layout#AUTO} (the default) takes the root for a shared Maildir when it has {@code new/} and
 * {@code cur/}, else for the per-recipient layout.
 *
 * <p>Maildir rules: a message's id is its file's unique name (without the {@code :2,} flags); only
 * {@code new/} and {@code cur/} are read, where files appear complete by an atomic rename, so a reader never
 * sees a partial message; {@link #markSeen} renames the file into {@code cur/} with the {@code S} flag
 * ({@code :2,S}), {@link #delete} unlinks it. Both are single renames or unlinks, so that two readers (or two
 * processes) racing on a message never both claim it: {@link #waitFor} returns a message only to the caller
 * whose rename succeeded.
 *
 * <p>Waiting: a {@link MaildirSink} of this process wakes the waiters of the Maildir it stored into as soon
 * as the message is durable; messages stored by another process are noticed through the platform's
 * watch service (inotify on Linux) or, where there is none, by polling every {@link Builder#pollInterval}.
 *
 * <pre>{@code
 * try (MaildirMessageStore inbox = MaildirMessageStore.builder(Path.of("/var/mail/agents")).build()) {
 *     for (MessageSummary m : inbox.list(address, MessageQuery.builder().unseenOnly(true).limit(20).build())) {
 *         System.out.println(m.date() + " " + m.from() + " " + m.subject());
 *     }
 * }
 * }</pre>
 */
public final class MaildirMessageStore implements MessageStore {

    /** The directory, below the root, holding one cursor file per listener name. */
    public static final String CURSOR_DIRECTORY = ".azt3knet-listeners";

    private static final Pattern LISTENER_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");
    private static final String[] SUBDIRS = {"new", "cur"};

    /** Where a store finds each address's messages. */
    public enum Layout {
        /** A shared Maildir when the root has {@code new/} and {@code cur/}, else one Maildir per address. */
        AUTO,
        /** One Maildir per address: {@code <root>/<address>/}. */
        PER_RECIPIENT,
        /** The root is one Maildir; messages belong to the address in their {@code Delivered-To} header. */
        SHARED
    }

    private final Path root;
    private final Layout layout;
    private final Clock clock;
    private final Duration pollInterval;
    private final Duration catchUpInterval;
    private final MaildirWatcher watcher;
    private final Map<String, MaildirSubscription> subscriptions = new ConcurrentHashMap<>();
    /**
     * Parsed headers by Maildir and id: a file's content never changes under its unique name (flags change only
     * the suffix), so a summary is read from disk once. Bounded: emptied when it holds too many.
     */
    private final Map<String, HeaderBlock> headerCache = new ConcurrentHashMap<>();
    private static final int HEADER_CACHE_LIMIT = 200_000;
    private volatile boolean closed;

    private MaildirMessageStore(Builder b) {
        this.root = b.root.toAbsolutePath().normalize();
        this.layout = b.layout;
        this.clock = b.clock;
        this.pollInterval = b.pollInterval;
        this.catchUpInterval = b.catchUpInterval;
        this.watcher = new MaildirWatcher(b.nativeWatch);
    }

    /**
     * @param root the directory {@link MaildirSink} writes to; it need not exist yet
     * @return a builder
     */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** @return the root directory */
    public Path root() {
        return root;
    }

    // ---------------------------------------------------------------------------------------------- reading

    @Override
    public List<MessageSummary> list(MailboxAddress address, MessageQuery query) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(query, "query");
        Path maildir = maildirOf(address);
        List<MaildirEntry> entries = scan(maildir);
        entries.removeIf(e -> query.unseenOnly() && e.seen()
                || query.since().map(s -> e.deliveredAt().isBefore(s)).orElse(false));
        entries.sort(MaildirEntry.OLDEST_FIRST.reversed());
        List<MessageSummary> page = new ArrayList<>(Math.min(query.limit(), entries.size()));
        int skip = query.offset();
        for (MaildirEntry e : entries) {
            Optional<MessageSummary> s = summary(e, address);
            if (s.isEmpty() || !query.test(s.get())) {
                continue;
            }
            if (skip > 0) {
                skip--;
                continue;
            }
            page.add(s.get());
            if (page.size() == query.limit()) {
                break;
            }
        }
        return Collections.unmodifiableList(page);
    }

    @Override
    public Optional<StoredMessage> get(MailboxAddress address, String id) {
        Objects.requireNonNull(address, "address");
        Path maildir = maildirOf(address);
        for (int attempt = 0; attempt < 8; attempt++) {
            Optional<MaildirEntry> e = resolve(maildir, id);
            if (e.isEmpty()) {
                return Optional.empty();
            }
            try {
                return open(e.get(), Optional.of(address));
            } catch (NoSuchFileException moved) {
                // renamed (marked seen) or deleted meanwhile: look again
            } catch (IOException | MessagingException ex) {
                throw new MessageStoreException("cannot read message " + id + " of " + address.value() + ": " + ex, ex);
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean markSeen(MailboxAddress address, String id) {
        Objects.requireNonNull(address, "address");
        return claim(maildirOf(address), id) != Claim.ABSENT;
    }

    @Override
    public boolean delete(MailboxAddress address, String id) {
        Objects.requireNonNull(address, "address");
        Path maildir = maildirOf(address);
        for (int attempt = 0; attempt < 8; attempt++) {
            Optional<MaildirEntry> e = resolve(maildir, id);
            if (e.isEmpty() || !belongsTo(e.get(), address)) {
                return false;
            }
            try {
                Files.delete(e.get().file());
                return true;
            } catch (NoSuchFileException moved) {
                // renamed meanwhile: look again
            } catch (IOException ex) {
                throw new MessageStoreException("cannot delete message " + id + " of " + address.value() + ": " + ex, ex);
            }
        }
        return false;
    }

    @Override
    public StoredMessage waitFor(MailboxAddress address, MessageMatch match, Duration timeout) {
        return await(address, match, timeout, true);
    }

    @Override
    public StoredMessage peekFor(MailboxAddress address, MessageMatch match, Duration timeout) {
        return await(address, match, timeout, false);
    }

    private StoredMessage await(MailboxAddress address, MessageMatch match, Duration timeout, boolean claim) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(match, "match");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        requireOpen();
        long deadline = System.nanoTime() + timeout.toNanos();
        Path maildir = maildirOf(address);
        Arrivals.Signal signal = Arrivals.signal(maildir);
        boolean watched = watcher.watch(maildir);
        while (true) {
            long version = signal.version();
            Optional<StoredMessage> found = oldestUnseen(maildir, address, match, claim);
            if (found.isPresent()) {
                return found.get();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new MessageWaitTimeoutException(address, match, timeout);
            }
            if (!watched) {
                watched = watcher.watch(maildir);
            }
            // with a native watch the slice only bounds the cost of a missed event; without one, it is the poll
            long slice = Math.min(left, watched ? Duration.ofSeconds(1).toNanos() : pollInterval.toNanos());
            try {
                signal.await(version, slice);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MessageStoreException("interrupted while waiting for a message for " + address.value(), e);
            }
            requireOpen();
        }
    }

    private Optional<StoredMessage> oldestUnseen(Path maildir, MailboxAddress address, MessageMatch match,
            boolean claim) {
        List<MaildirEntry> entries = scan(maildir);
        entries.removeIf(MaildirEntry::seen);
        entries.sort(MaildirEntry.OLDEST_FIRST);
        for (MaildirEntry e : entries) {
            Optional<MessageSummary> s = summary(e, address);
            if (s.isEmpty() || !match.test(s.get())) {
                continue;
            }
            if (claim && claim(maildir, e.id()) != Claim.CLAIMED) {
                continue; // another reader took it first
            }
            Optional<StoredMessage> m = get(address, e.id());
            if (m.isPresent()) {
                return m;
            }
        }
        return Optional.empty();
    }

    @Override
    public List<MessageSummary> thread(MailboxAddress address, String id) {
        Objects.requireNonNull(address, "address");
        Path maildir = maildirOf(address);
        List<MaildirEntry> entries = scan(maildir);
        List<MessageThreads.Threaded> all = new ArrayList<>();
        MessageThreads.Threaded start = null;
        for (MaildirEntry e : entries) {
            Optional<HeaderBlock> h = headers(e);
            if (h.isEmpty() || !belongsTo(h.get(), address)) {
                continue;
            }
            MessageThreads.Threaded t =
                    new MessageThreads.Threaded(e, h.get(), toSummary(e, h.get(), address.value()));
            all.add(t);
            if (e.id().equals(id)) {
                start = t;
            }
        }
        if (start == null) {
            return List.of();
        }
        return MessageThreads.conversation(all, start);
    }

    @Override
    public List<MessageSummary> prune(Duration olderThan, Optional<MailboxAddress> address, boolean dryRun) {
        Objects.requireNonNull(address, "address");
        if (olderThan.isNegative()) {
            throw new IllegalArgumentException("olderThan must not be negative, got " + olderThan);
        }
        Instant cutoff = clock.instant().minus(olderThan);
        List<MaildirEntry> old = new ArrayList<>();
        Map<MaildirEntry, String> mailboxOf = new HashMap<>();
        List<Path> maildirs = address.map(a -> List.of(maildirOf(a))).orElseGet(this::allMaildirs);
        for (Path maildir : maildirs) {
            for (MaildirEntry e : scan(maildir)) {
                if (e.deliveredAt().isBefore(cutoff)) {
                    old.add(e);
                    mailboxOf.put(e, isShared() ? "" : maildir.getFileName().toString());
                }
            }
        }
        old.sort(MaildirEntry.OLDEST_FIRST);
        List<MessageSummary> removed = new ArrayList<>();
        for (MaildirEntry e : old) {
            Optional<HeaderBlock> h = headers(e);
            if (h.isEmpty() || address.isPresent() && !belongsTo(h.get(), address.get())) {
                continue;
            }
            String mailbox = isShared() ? deliveredTo(h.get()) : mailboxOf.get(e);
            MessageSummary s = toSummary(e, h.get(), mailbox);
            if (!dryRun) {
                try {
                    if (!deleteEntry(e)) {
                        continue;
                    }
                } catch (IOException ex) {
                    throw new MessageStoreException("cannot delete " + e.file() + " while pruning (" + removed.size()
                            + " messages deleted so far): " + ex, ex);
                }
            }
            removed.add(s);
        }
        return Collections.unmodifiableList(removed);
    }

    /** Deletes the entry's file, following it if it was renamed meanwhile; false when it is gone. */
    private boolean deleteEntry(MaildirEntry e) throws IOException {
        MaildirEntry current = e;
        for (int attempt = 0; attempt < 8; attempt++) {
            try {
                Files.delete(current.file());
                return true;
            } catch (NoSuchFileException moved) {
                Optional<MaildirEntry> again = resolve(current.file().getParent().getParent(), e.id());
                if (again.isEmpty()) {
                    return false;
                }
                current = again.get();
            }
        }
        return false;
    }

    @Override
    public Subscription subscribe(String name, MessageListener listener) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(listener, "listener");
        if (!LISTENER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a listener name is 1 to 64 of [A-Za-z0-9._-], not starting with a dot");
        }
        requireOpen();
        MaildirSubscription s = new MaildirSubscription(this, name, listener, catchUpInterval, clock,
                () -> subscriptions.remove(name));
        if (subscriptions.putIfAbsent(name, s) != null) {
            throw new IllegalStateException("a listener named " + name + " is already subscribed to this store");
        }
        try {
            s.start();
        } catch (RuntimeException e) {
            subscriptions.remove(name);
            throw e;
        }
        return s;
    }

    @Override
    public void close() {
        closed = true;
        for (MaildirSubscription s : List.copyOf(subscriptions.values())) {
            s.close();
        }
        watcher.close();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the message store is closed");
        }
    }

    // --------------------------------------------------------------------------------------- layout, files

    boolean isShared() {
        return switch (layout) {
            case SHARED -> true;
            case PER_RECIPIENT -> false;
            case AUTO -> Files.isDirectory(root.resolve("new")) && Files.isDirectory(root.resolve("cur"));
        };
    }

    /** @return the Maildir holding an address's messages (it may not exist) */
    Path maildirOf(MailboxAddress address) {
        return isShared() ? root : root.resolve(address.value());
    }

    /** @return every Maildir of the store */
    List<Path> allMaildirs() {
        if (isShared()) {
            return List.of(root);
        }
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return found;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(root)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (!name.startsWith(".") && Files.isDirectory(child.resolve("new")) && Files.isDirectory(child.resolve("cur"))) {
                    found.add(child);
                }
            }
        } catch (IOException e) {
            throw new MessageStoreException("cannot list the mailboxes in " + root + ": " + e, e);
        }
        found.sort(null);
        return found;
    }

    /** @return the messages of a Maildir, in no particular order; empty when it does not exist */
    static List<MaildirEntry> scan(Path maildir) {
        List<MaildirEntry> entries = new ArrayList<>();
        for (String sub : SUBDIRS) {
            Path dir = maildir.resolve(sub);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    MaildirEntry.of(f).ifPresent(entries::add);
                }
            } catch (NoSuchFileException e) {
                // no such mailbox (yet)
            } catch (IOException e) {
                throw new MessageStoreException("cannot list " + dir + ": " + e, e);
            }
        }
        return entries;
    }

    /**
     * Finds a message by id, in {@code new/} or {@code cur/} under any flags.
     *
     * @return the entry, or empty when there is none (or the id cannot be a Maildir name)
     */
    static Optional<MaildirEntry> resolve(Path maildir, String id) {
        Objects.requireNonNull(id, "id");
        if (id.isEmpty() || id.startsWith(".") || id.indexOf('/') >= 0 || id.indexOf('\\') >= 0
                || id.indexOf(':') >= 0 || id.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        Path cur = maildir.resolve("cur");
        for (Path candidate : List.of(maildir.resolve("new").resolve(id), cur.resolve(id + MaildirEntry.INFO + "S"),
                cur.resolve(id + MaildirEntry.INFO), cur.resolve(id))) {
            if (Files.isRegularFile(candidate)) {
                Optional<MaildirEntry> e = MaildirEntry.of(candidate);
                if (e.isPresent()) {
                    return e;
                }
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(cur, id + MaildirEntry.INFO + "*")) {
            for (Path f : files) {
                return MaildirEntry.of(f);
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new MessageStoreException("cannot list " + cur + ": " + e, e);
        }
        return Optional.empty();
    }

    private enum Claim { ABSENT, ALREADY_SEEN, CLAIMED }

    /** Marks a message seen by one atomic rename; tells whether this call made it seen. */
    private static Claim claim(Path maildir, String id) {
        for (int attempt = 0; attempt < 8; attempt++) {
            Optional<MaildirEntry> found = resolve(maildir, id);
            if (found.isEmpty()) {
                return Claim.ABSENT;
            }
            MaildirEntry e = found.get();
            if (e.seen()) {
                return Claim.ALREADY_SEEN;
            }
            Path target = maildir.resolve("cur").resolve(e.id() + MaildirEntry.INFO + e.flagsWith('S'));
            try {
                Files.move(e.file(), target, StandardCopyOption.ATOMIC_MOVE);
                return Claim.CLAIMED;
            } catch (NoSuchFileException moved) {
                // another reader renamed it first: look at what it did
            } catch (IOException ex) {
                throw new MessageStoreException("cannot mark message " + id + " seen in " + maildir + ": " + ex, ex);
            }
        }
        return Claim.ALREADY_SEEN;
    }

    private Optional<HeaderBlock> headers(MaildirEntry e) {
        String key = e.file().getParent().getParent() + "/" + e.id();
        HeaderBlock cached = headerCache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        try {
            HeaderBlock read = HeaderBlock.read(e.file());
            if (headerCache.size() >= HEADER_CACHE_LIMIT) {
                headerCache.clear();
            }
            headerCache.put(key, read);
            return Optional.of(read);
        } catch (NoSuchFileException gone) {
            Optional<MaildirEntry> moved = resolve(e.file().getParent().getParent(), e.id());
            if (moved.isPresent() && !moved.get().file().equals(e.file())) {
                return headers(moved.get());
            }
            return Optional.empty();
        } catch (IOException ex) {
            throw new MessageStoreException("cannot read " + e.file() + ": " + ex, ex);
        }
    }

    /** @return the summary of an entry of {@code address}'s Maildir, empty if gone or (shared) someone else's */
    private Optional<MessageSummary> summary(MaildirEntry e, MailboxAddress address) {
        Optional<HeaderBlock> h = headers(e);
        if (h.isEmpty() || !belongsTo(h.get(), address)) {
            return Optional.empty();
        }
        return Optional.of(toSummary(e, h.get(), address.value()));
    }

    private boolean belongsTo(HeaderBlock h, MailboxAddress address) {
        return !sharedNow() || deliveredTo(h).equalsIgnoreCase(address.value());
    }

    /** {@link #isShared()}, looked at no more than once per 100 ms (AUTO asks the file system). */
    private boolean sharedNow() {
        if (layout != Layout.AUTO) {
            return layout == Layout.SHARED;
        }
        long now = System.nanoTime();
        if (now - sharedCheckedAt > 100_000_000L || sharedCheckedAt == 0) {
            sharedCached = isShared();
            sharedCheckedAt = now;
        }
        return sharedCached;
    }

    private volatile boolean sharedCached;
    private volatile long sharedCheckedAt;

    private boolean belongsTo(MaildirEntry e, MailboxAddress address) {
        return !isShared() || headers(e).map(h -> belongsTo(h, address)).orElse(false);
    }

    private static String deliveredTo(HeaderBlock h) {
        String v = h.raw("delivered-to").orElse("").strip();
        if (v.startsWith("<") && v.endsWith(">")) {
            v = v.substring(1, v.length() - 1);
        }
        return v;
    }

    static MessageSummary toSummary(MaildirEntry e, HeaderBlock h, String mailbox) {
        Instant delivered = e.deliveredAt();
        return new MessageSummary(e.id(), mailbox, h.raw("message-id").filter(v -> !v.isBlank()), h.decoded("from"),
                h.decoded("to"), h.decoded("subject"), h.date().orElse(delivered), delivered, e.seen(), h.size());
    }

    // ------------------------------------------------------------------------------------------ opening

    /** Opens a message file; {@code address} (when given) is checked against Delivered-To in a shared Maildir. */
    Optional<StoredMessage> open(MaildirEntry e, Optional<MailboxAddress> address)
            throws IOException, MessagingException {
        HeaderBlock h = HeaderBlock.read(e.file());
        if (address.isPresent() && !belongsTo(h, address.get())) {
            return Optional.empty();
        }
        Path maildir = e.file().getParent().getParent();
        String mailbox = address.map(MailboxAddress::value)
                .orElseGet(() -> isShared() ? deliveredTo(h) : maildir.getFileName().toString());
        MessageSummary summary = toSummary(e, h, mailbox);
        return Optional.of(StoredMessageReader.read(e, summary));
    }

    /** Builds a {@link MaildirMessageStore}. */
    public static final class Builder {
        private final Path root;
        private Layout layout = Layout.AUTO;
        private Clock clock = Clock.systemUTC();
        private Duration pollInterval = Duration.ofMillis(200);
        private Duration catchUpInterval = Duration.ofSeconds(30);
        private boolean nativeWatch = true;

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root");
        }

        /**
         * @param layout where each address's messages are, default {@link Layout#AUTO}
         * @return this builder
         */
        public Builder layout(Layout layout) {
            this.layout = Objects.requireNonNull(layout, "layout");
            return this;
        }

        /**
         * @param clock the time source for {@link #prune}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param pollInterval how often a wait looks again when the platform cannot watch a directory
         *     (default 200 ms), between 10 ms and 10 s
         * @return this builder
         */
        public Builder pollInterval(Duration pollInterval) {
            if (pollInterval.compareTo(Duration.ofMillis(10)) < 0 || pollInterval.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("pollInterval must be between 10 ms and 10 s, got " + pollInterval);
            }
            this.pollInterval = pollInterval;
            return this;
        }

        /**
         * @param catchUpInterval how often a subscription looks for messages stored by other processes and
         *     offers again those its listener threw on (default 30 s), at least 100 ms
         * @return this builder
         */
        public Builder catchUpInterval(Duration catchUpInterval) {
            if (catchUpInterval.compareTo(Duration.ofMillis(100)) < 0) {
                throw new IllegalArgumentException("catchUpInterval must be at least 100 ms, got " + catchUpInterval);
            }
            this.catchUpInterval = catchUpInterval;
            return this;
        }

        /** For tests: without the platform's watch service, only polling and the in-process signal remain. */
        Builder nativeWatch(boolean nativeWatch) {
            this.nativeWatch = nativeWatch;
            return this;
        }

        /** @return the store; nothing is created on disk until a listener subscribes */
        public MaildirMessageStore build() {
            return new MaildirMessageStore(this);
        }
    }
}
