package io.azt3knet.mail.inbound.webhook;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A request body that must arrive in full within a total time, however slowly or irregularly the client
 * sends it (the server's idle timeout only bounds the pause between two packets). The server's deadline thread
 * calls {@link #expireIfDue(long)} on each of its ticks; once the time is up, that runs the abort action (the
 * server fails the request's content, which wakes a blocked read), unless the body was read to its end or closed
 * by then; reads then fail with {@link SocketTimeoutException}, and {@link #close()} does not drain the rest of a
 * stalled body.
 */
final class ReadDeadlineInputStream extends FilterInputStream {

    private final Runnable abort;
    private final Duration timeout;
    private final long due;
    private final Object lock = new Object();
    private boolean done; // read to the end or closed: the deadline no longer interrupts; guarded by lock
    private boolean expired; // guarded by lock

    ReadDeadlineInputStream(InputStream in, Duration timeout, Runnable abort) {
        super(in);
        this.timeout = timeout;
        this.abort = abort;
        this.due = System.nanoTime() + timeout.toNanos();
    }

    /**
     * Aborts the read if the deadline has passed and the body is still being read.
     *
     * @param now {@link System#nanoTime()}
     * @return whether the deadline has passed (the stream needs no further checks)
     */
    boolean expireIfDue(long now) {
        if (now - due < 0) {
            return false;
        }
        synchronized (lock) {
            if (done) {
                return true;
            }
            expired = true;
        }
        abort.run();
        return true;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        throwIfExpired(null);
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            throwIfExpired(e);
            throw e;
        }
        synchronized (lock) {
            if (n < 0) {
                finish();
            }
        }
        throwIfExpired(null);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 8192)];
        int read = buffer.length == 0 ? 0 : read(buffer);
        return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Closes the body; past the deadline the rest of a stalled body is left alone (the connection closes). */
    @Override
    public void close() throws IOException {
        boolean late;
        synchronized (lock) {
            late = expired;
            finish();
        }
        if (!late) {
            in.close();
        }
    }

    private void finish() {
        done = true;
    }

    private void throwIfExpired(@Nullable IOException cause) throws SocketTimeoutException {
        synchronized (lock) {
            if (!expired) {
                return;
            }
        }
        SocketTimeoutException e = new SocketTimeoutException("the request body did not arrive within " + timeout);
        if (cause != null) {
            e.initCause(cause);
        }
        throw e;
    }
}
