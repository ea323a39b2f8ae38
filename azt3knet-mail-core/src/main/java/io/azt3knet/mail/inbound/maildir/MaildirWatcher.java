package io.azt3knet.mail.inbound.maildir;

import io.azt3knet.mail.internal.util.LogText;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the {@code new/} directories of waited-on Maildirs with the platform's {@link WatchService}
 * (inotify on Linux), so that a message published by another process wakes the waiters at once. Where the
 * platform only offers a polling watch service (it may notice a change only after seconds), none is used and
 * {@link #watch} answers {@code false}: the caller polls instead.
 */
final class MaildirWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MaildirWatcher.class);

    private final @Nullable WatchService service;
    private final Map<Path, WatchKey> watched = new HashMap<>();
    private final Map<WatchKey, Path> maildirs = new HashMap<>();
    private @Nullable Thread thread;

    MaildirWatcher(boolean useNative) {
        this.service = useNative ? nativeWatchService() : null;
    }

    private static @Nullable WatchService nativeWatchService() {
        try {
            WatchService s = FileSystems.getDefault().newWatchService();
            if (s.getClass().getName().contains("Polling")) {
                s.close();
                return null;
            }
            return s;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /**
     * @param maildir a Maildir whose {@code new/} should wake its waiters
     * @return whether it is watched natively ({@code false}: no native watch service, or {@code new/} does not
     *     exist yet; poll)
     */
    synchronized boolean watch(Path maildir) {
        WatchService s = service;
        if (s == null) {
            return false;
        }
        Path key = Arrivals.key(maildir);
        WatchKey existing = watched.get(key);
        if (existing != null && existing.isValid()) {
            return true;
        }
        Path newDir = key.resolve("new");
        if (!Files.isDirectory(newDir)) {
            return false;
        }
        try {
            WatchKey k = newDir.register(s, StandardWatchEventKinds.ENTRY_CREATE);
            watched.put(key, k);
            maildirs.put(k, key);
        } catch (IOException | ClosedWatchServiceException e) {
            LOG.debug("Cannot watch {}; polling it instead", LogText.escape(newDir), LogText.escape(e));
            return false;
        }
        if (thread == null) {
            Thread t = new Thread(() -> run(s), "azt3knet-maildir-watcher");
            t.setDaemon(true);
            t.start();
            thread = t;
        }
        return true;
    }

    private void run(WatchService s) {
        while (true) {
            WatchKey key;
            try {
                key = s.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            key.pollEvents();
            Path maildir;
            synchronized (this) {
                maildir = maildirs.get(key);
                if (!key.reset()) {
                    maildirs.remove(key);
                    if (maildir != null) {
                        watched.remove(maildir);
                    }
                }
            }
            if (maildir != null) {
                Arrivals.changed(maildir);
            }
        }
    }

    @Override
    public synchronized void close() {
        WatchService s = service;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("Closing the watch service failed", e);
            }
        }
    }
}
