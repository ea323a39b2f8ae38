package io.azt3knet.mail.inbound.maildir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The in-process link between {@link MaildirSink} (which tells when it published a message) and
 * {@link MaildirMessageStore} (whose waits and subscriptions want to hear of it at once, without polling).
 * Keyed by normalised absolute paths, so that a sink and a store opened on the same directory meet here.
 */
final class Arrivals {

    private static final Map<Path, Signal> SIGNALS = new ConcurrentHashMap<>();
    private static final Map<Path, List<Consumer<Path>>> ROOT_LISTENERS = new ConcurrentHashMap<>();

    private Arrivals() {
    }

    static Path key(Path dir) {
        return dir.toAbsolutePath().normalize();
    }

    /** @return the signal of one Maildir, created on first use */
    static Signal signal(Path maildir) {
        return SIGNALS.computeIfAbsent(key(maildir), k -> new Signal());
    }

    /** Wakes whoever waits on a Maildir (a file watcher saw a change). */
    static void changed(Path maildir) {
        Signal s = SIGNALS.get(key(maildir));
        if (s != null) {
            s.bump();
        }
    }

    /** Called by the sink once {@code file} is durable in {@code maildir} below {@code root}. */
    static void published(Path root, Path maildir, Path file) {
        changed(maildir);
        List<Consumer<Path>> listeners = ROOT_LISTENERS.get(key(root));
        if (listeners != null) {
            for (Consumer<Path> l : listeners) {
                l.accept(file);
            }
        }
    }

    static void addListener(Path root, Consumer<Path> listener) {
        ROOT_LISTENERS.computeIfAbsent(key(root), k -> new CopyOnWriteArrayList<>()).add(listener);
    }

    static void removeListener(Path root, Consumer<Path> listener) {
        List<Consumer<Path>> listeners = ROOT_LISTENERS.get(key(root));
        if (listeners != null) {
            listeners.remove(listener);
        }
    }

    /** A change counter one can wait on without missing a change that happened before the wait began. */
    static final class Signal {
        private long version;

        synchronized long version() {
            return version;
        }

        synchronized void bump() {
            version++;
            notifyAll();
        }

        /**
         * Waits until the version differs from {@code seen} or {@code nanos} passed.
         *
         * @throws InterruptedException if interrupted
         */
        synchronized void await(long seen, long nanos) throws InterruptedException {
            long end = System.nanoTime() + nanos;
            long left = nanos;
            while (version == seen && left > 0) {
                wait(left / 1_000_000, (int) (left % 1_000_000));
                left = end - System.nanoTime();
            }
        }
    }
}
