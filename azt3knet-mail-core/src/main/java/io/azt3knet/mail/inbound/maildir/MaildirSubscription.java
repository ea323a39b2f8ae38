package io.azt3knet.mail.inbound.maildir;

import io.azt3knet.mail.internal.util.LogText;
import io.azt3knet.mail.inbox.MessageListener;
import io.azt3knet.mail.MessageStoreException;
import io.azt3knet.mail.inbox.StoredMessage;
import io.azt3knet.mail.inbox.Subscription;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named listener on a {@link MaildirMessageStore}: a thread of its own that catches up from the cursor,
 * then delivers what {@link MaildirSink}s of this process publish (told through {@link Arrivals}), and catches
 * up again periodically (messages from other processes, and those the listener threw on).
 */
final class MaildirSubscription implements Subscription {

    private static final Logger LOG = LoggerFactory.getLogger(MaildirSubscription.class);
    /** Messages stored this long before the cursor's compaction still have their ids kept (late renames). */
    private static final long WATERMARK_MARGIN_MICROS = Duration.ofMinutes(10).toNanos() / 1000;
    private static final int COMPACT_AFTER = 10_000;
    private static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(1);

    private final MaildirMessageStore store;
    private final String name;
    private final MessageListener listener;
    private final Duration catchUpInterval;
    private final Clock clock;
    private final Runnable onClose;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Consumer<Path> published = queue::add;
    private final Thread thread;
    private ListenerCursor cursor;
    private volatile boolean closed;
    private int consecutiveFailures;

    MaildirSubscription(MaildirMessageStore store, String name, MessageListener listener, Duration catchUpInterval,
            Clock clock, Runnable onClose) {
        this.store = store;
        this.name = name;
        this.listener = listener;
        this.catchUpInterval = catchUpInterval;
        this.clock = clock;
        this.onClose = onClose;
        try {
            this.cursor = ListenerCursor.open(store.root().resolve(MaildirMessageStore.CURSOR_DIRECTORY)
                    .resolve(name + ".cursor"));
        } catch (IOException e) {
            throw new MessageStoreException("cannot open the cursor of listener " + name + " in " + store.root()
                    + ": " + e, e);
        }
        this.thread = new Thread(this::run, "azt3knet-listener-" + name);
        this.thread.setDaemon(true);
    }

    void start() {
        Arrivals.addListener(store.root(), published); // before the first catch-up: nothing falls in between
        thread.start();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void replay() {
        if (closed) {
            throw new IllegalStateException("the subscription " + name + " is closed");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(done);
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessageStoreException("interrupted while replaying listener " + name, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof MessageStoreException m ? m
                    : new MessageStoreException("replaying listener " + name + " failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Arrivals.removeListener(store.root(), published);
        queue.add(Boolean.FALSE);
        if (Thread.currentThread() != thread) {
            try {
                thread.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        onClose.run();
    }

    private void run() {
        try {
            long nextCatchUp = 0;
            while (!closed) {
                long wait = Math.max(0, nextCatchUp - System.nanoTime());
                Object item = queue.poll(wait, TimeUnit.NANOSECONDS);
                if (closed) {
                    break;
                }
                if (item == null || item instanceof CompletableFuture<?>) {
                    try {
                        catchUp();
                        if (item != null) {
                            ((CompletableFuture<?>) item).complete(null);
                        }
                    } catch (RuntimeException | IOException e) {
                        LOG.warn("Listener {} could not catch up; trying again in {}", LogText.escape(name), catchUpInterval,
                                LogText.escaped(e));
                        if (item != null) {
                            ((CompletableFuture<?>) item).completeExceptionally(e);
                        }
                    }
                    nextCatchUp = System.nanoTime() + nextDelay().toNanos();
                } else if (item instanceof Path file) {
                    if (!deliverPublished(file)) {
                        nextCatchUp = Math.min(nextCatchUp, System.nanoTime() + nextDelay().toNanos());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                cursor.close();
            } catch (IOException e) {
                LOG.debug("Closing the cursor of listener {} failed", LogText.escape(name), LogText.escaped(e));
            }
            for (Object left : queue) {
                if (left instanceof CompletableFuture<?> f) {
                    f.completeExceptionally(new IllegalStateException("the subscription " + name + " is closed"));
                }
            }
        }
    }

    /** After failures, back off (1 s, 2 s, ... up to a minute, never past the catch-up interval). */
    private Duration nextDelay() {
        if (consecutiveFailures == 0) {
            return catchUpInterval;
        }
        Duration backoff = Duration.ofSeconds(1L << Math.min(consecutiveFailures - 1, 6));
        Duration cap = MAX_RETRY_DELAY.compareTo(catchUpInterval) < 0 ? MAX_RETRY_DELAY : catchUpInterval;
        return backoff.compareTo(cap) < 0 ? backoff : cap;
    }

    /** @return false when the listener threw (a catch-up will offer the message again) */
    private boolean deliverPublished(Path file) {
        Optional<MaildirEntry> e = MaildirEntry.of(file);
        if (e.isEmpty()) {
            return true;
        }
        return deliver(e.get());
    }

    private void catchUp() throws IOException {
        List<MaildirEntry> all = new ArrayList<>();
        for (Path maildir : store.allMaildirs()) {
            all.addAll(MaildirMessageStore.scan(maildir));
        }
        all.sort(MaildirEntry.OLDEST_FIRST);
        long oldestPending = Long.MAX_VALUE;
        for (MaildirEntry e : all) {
            if (closed) {
                return;
            }
            if (!deliver(e)) {
                oldestPending = Math.min(oldestPending, e.deliveredMicros());
            }
        }
        if (cursor.appendedSinceCompaction() >= COMPACT_AFTER || cursor.appendedSinceCompaction() > 0
                && consecutiveFailures == 0) {
            long now = clock.instant().toEpochMilli() * 1000;
            cursor.compact(Math.min(now - WATERMARK_MARGIN_MICROS, oldestPending), all);
        }
    }

    /** Delivers one message unless its cursor says it was; @return false when the listener threw. */
    private boolean deliver(MaildirEntry entry) {
        if (cursor.delivered(entry)) {
            return true;
        }
        Optional<StoredMessage> message;
        MaildirEntry current = entry;
        try {
            message = openFollowingRenames(entry);
        } catch (RuntimeException e) {
            LOG.warn("Listener {}: cannot read {}; it will be offered again", LogText.escape(name),
                    LogText.escape(entry.file()), LogText.escaped(e));
            consecutiveFailures++;
            return false;
        }
        if (message.isEmpty()) {
            return true; // deleted before it could be delivered
        }
        try {
            listener.onMessage(message.get());
        } catch (Exception e) {
            consecutiveFailures++;
            LOG.warn("Listener {} failed on message {}; it will be offered again", LogText.escape(name),
                    LogText.escape(current.id()), LogText.escaped(e));
            return false;
        }
        consecutiveFailures = 0;
        try {
            cursor.record(entry);
        } catch (IOException e) {
            LOG.warn("Listener {}: cannot record message {} in its cursor; it may be delivered again after a "
                    + "restart", LogText.escape(name), LogText.escape(entry.id()), LogText.escaped(e));
        }
        return true;
    }

    private Optional<StoredMessage> openFollowingRenames(MaildirEntry entry) {
        Path maildir = entry.file().getParent().getParent();
        MaildirEntry current = entry;
        for (int attempt = 0; attempt < 8; attempt++) {
            try {
                return store.open(current, Optional.empty());
            } catch (NoSuchFileException moved) {
                Optional<MaildirEntry> again = MaildirMessageStore.resolve(maildir, entry.id());
                if (again.isEmpty()) {
                    return Optional.empty();
                }
                current = again.get();
            } catch (IOException | jakarta.mail.MessagingException e) {
                throw new MessageStoreException("cannot read " + current.file() + ": " + e, e);
            }
        }
        return Optional.empty();
    }
}
