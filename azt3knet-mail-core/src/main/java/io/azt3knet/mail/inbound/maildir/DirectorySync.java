package io.azt3knet.mail.inbound.maildir;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Group commit of one directory's {@code fsync}: every caller returns only once a directory force that
 * began after its call (so after the rename it made before calling) has completed, but concurrent callers
 * share forces instead of queueing one each. Under load one force covers every rename made while the
 * previous one ran, so the directory costs about one force per disk round trip instead of one per message.
 */
final class DirectorySync {

    private final Path dir;
    private final Disk disk;
    private long requested;
    private long completed;
    private boolean forcing;

    DirectorySync(Path dir, Disk disk) {
        this.dir = dir;
        this.disk = disk;
    }

    /**
     * Returns once the directory was forced after this call began.
     *
     * @throws IOException if the force this caller depends on failed
     */
    void sync() throws IOException {
        long ticket;
        boolean interrupted = false;
        long target;
        synchronized (this) {
            ticket = ++requested;
            while (completed < ticket && forcing) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true; // finish: the caller's message must be durable before it answers
                }
            }
            if (completed >= ticket) {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            forcing = true;
            target = requested; // every ticket up to here renamed before this force begins
        }
        IOException failure = null;
        try {
            disk.forceDirectory(dir);
        } catch (IOException | RuntimeException e) {
            failure = e instanceof IOException io ? io : new IOException("forcing " + dir + " failed: " + e, e);
        } finally {
            synchronized (this) {
                forcing = false;
                if (failure == null) {
                    completed = Math.max(completed, target);
                }
                notifyAll();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
