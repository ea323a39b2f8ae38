package io.azt3knet.mail.inbound.maildir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit of one directory's {@code fsync}: every caller returns only once a directory force that
 * began after its call (so after the rename it made before calling) has completed, but concurrent callers
 * share forces instead of queueing one each. Under load one force covers every rename made while the
 * previous one ran, so the directory costs about one force per disk round trip instead of one per message.
 *
 * <p>Callers gather in batches: the callers that arrive while a force runs form the next batch, which one of them
 * forces once the running force ends. Each batch has a condition of its own, so that the end of a force wakes only
 * the callers it covers (and one caller of the next batch, to lead it), not every waiting thread: with one shared
 * monitor, every force woke all sixteen writers of a busy server, and most went back to sleep.
 */
final class DirectorySync {

    private final Path dir;
    private final Disk disk;
    private final ReentrantLock lock = new ReentrantLock();
    /** The callers that the next force to begin will cover; guarded by {@link #lock}. */
    private Batch next = new Batch();
    /** Whether a force runs; guarded by {@link #lock}. */
    private boolean forcing;

    DirectorySync(Path dir, Disk disk) {
        this.dir = dir;
        this.disk = disk;
    }

    /** Callers covered by one force. Fields guarded by {@link #lock}. */
    private final class Batch {
        final Condition changed = lock.newCondition();
        /** Its force ended: the members return, or, when it failed, join the next batch. */
        boolean done;
        boolean failed;
    }

    /**
     * Returns once the directory was forced after this call began. An interrupt does not cut the wait short (the
     * caller's message must be durable before it answers); the thread's interrupt status is kept.
     *
     * @throws IOException if the force this caller led failed (callers that only waited for a failed force wait
     *     for the next one instead)
     */
    void sync() throws IOException {
        Batch batch;
        lock.lock();
        try {
            batch = next;
            while (true) {
                if (batch.done) {
                    if (!batch.failed) {
                        return;
                    }
                    batch = next; // the force that covered this caller failed: the next one covers it too
                    continue;
                }
                if (!forcing) {
                    forcing = true; // this caller leads its batch; later callers gather in a new one
                    next = new Batch();
                    break;
                }
                batch.changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
        IOException failure = null;
        try {
            disk.forceDirectory(dir);
        } catch (IOException | RuntimeException e) {
            failure = e instanceof IOException io ? io : new IOException("forcing " + dir + " failed: " + e, e);
        } finally {
            lock.lock();
            try {
                forcing = false;
                batch.done = true;
                batch.failed = failure != null;
                batch.changed.signalAll();
                next.changed.signal(); // one of the callers that gathered meanwhile leads the next force
            } finally {
                lock.unlock();
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
