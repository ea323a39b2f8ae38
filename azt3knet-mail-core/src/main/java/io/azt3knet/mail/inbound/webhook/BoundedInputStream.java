package io.azt3knet.mail.inbound.webhook;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts the bytes read and fails once more than a limit has been read, remembering that it did. */
final class BoundedInputStream extends FilterInputStream {

    private final long limit;
    private long count;
    private boolean exceeded;

    BoundedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    long count() {
        return count;
    }

    boolean exceeded() {
        return exceeded;
    }

    @Override
    public int read() throws IOException {
        check(0);
        int b = super.read();
        if (b >= 0) {
            check(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        check(0);
        // ask for at most one byte beyond the limit: enough to notice, never much more
        long room = limit - count + 1;
        int n = super.read(b, off, (int) Math.min(len, Math.max(1, room)));
        if (n > 0) {
            check(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        int read = read(new byte[(int) Math.min(n, 8192)]); // counted like a read
        return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void check(int justRead) throws IOException {
        count += justRead;
        if (count > limit) {
            exceeded = true;
            throw new IOException("request body over the limit of " + limit + " bytes");
        }
    }
}
