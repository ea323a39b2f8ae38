package io.azt3knet.mail.inbound.webhook;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A request body that must arrive in full within a total time, however slowly or irregularly the client
 * sends it. The JDK server reads bodies with blocking socket channels and has no per-request deadline; a
 * blocked channel read ends when its thread is interrupted (the channel is then closed). So, once the time
 * is up, an alarm interrupts the thread that opened this stream, unless the body was read to its end or
 * closed by then; reads then fail with {@link SocketTimeoutException}, and {@link #close()} makes sure the
 * connection is closed instead of draining the rest of a stalled body. The interrupt never outlives this
 * stream: its flag is cleared before a read or {@code close()} returns.
 */
final class ReadDeadlineInputStream extends FilterInputStream {

    private final Thread reader = Thread.currentThread();
    private final Duration timeout;
    private final Object lock = new Object();
    private final ScheduledFuture<?> alarm;
    private boolean done; // read to the end or closed: the alarm no longer interrupts; guarded by lock
    private boolean expired; // guarded by lock

    ReadDeadlineInputStream(InputStream in, Duration timeout, ScheduledExecutorService alarms) {
        super(in);
        this.timeout = timeout;
        this.alarm = alarms.schedule(this::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void expire() {
        synchronized (lock) {
            if (!done) {
                expired = true;
                reader.interrupt();
            }
        }
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

    /**
     * Closes the body. Past the deadline the underlying close, which would drain the rest of the body from
     * a client that may never send it, runs interrupted: its first socket read closes the connection.
     */
    @Override
    public void close() throws IOException {
        boolean late;
        synchronized (lock) {
            late = expired;
            finish();
        }
        if (!late) {
            in.close();
            return;
        }
        Thread.currentThread().interrupt();
        try {
            in.close();
        } catch (IOException e) {
            // the connection is closed: what we wanted
        } finally {
            Thread.interrupted();
        }
    }

    private void finish() {
        done = true;
        alarm.cancel(false);
    }

    private void throwIfExpired(@Nullable IOException cause) throws SocketTimeoutException {
        synchronized (lock) {
            if (!expired) {
                return;
            }
        }
        Thread.interrupted(); // set by the alarm; must not hit later, unrelated work of this thread
        SocketTimeoutException e = new SocketTimeoutException("the request body did not arrive within " + timeout);
        if (cause != null) {
            e.initCause(cause);
        }
        throw e;
    }
}
