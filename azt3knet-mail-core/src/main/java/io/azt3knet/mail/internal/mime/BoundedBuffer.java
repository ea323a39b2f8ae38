package io.azt3knet.mail.internal.mime;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects decoded bytes up to a limit in fixed-size chunks, then copies them once into an array of the exact
 * size: the peak is twice the content, where a doubling buffer would need up to three times.
 */
public final class BoundedBuffer extends OutputStream {
    private static final int CHUNK = 256 * 1024;
    private final long limit;
    private final List<byte[]> full = new ArrayList<>();
    private byte[] current = new byte[8 * 1024];
    private int inCurrent;
    private long count;

    /** @param limit the most bytes accepted */
    public BoundedBuffer(long limit) {
        this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (count + len > limit) {
            throw new LimitExceeded();
        }
        int done = 0;
        while (done < len) {
            if (inCurrent == current.length) {
                if (current.length < CHUNK) {
                    current = Arrays.copyOf(current, Math.min(CHUNK, current.length * 4));
                } else {
                    full.add(current);
                    current = new byte[CHUNK];
                    inCurrent = 0;
                }
            }
            int n = Math.min(len - done, current.length - inCurrent);
            System.arraycopy(b, off + done, current, inCurrent, n);
            inCurrent += n;
            done += n;
        }
        count += len;
    }

    /** @return the bytes written so far */
    public long size() {
        return count;
    }

    /** @return the bytes written, in one exact-size array */
    public byte[] toByteArray() {
        byte[] out = new byte[(int) count];
        int pos = 0;
        for (byte[] chunk : full) {
            System.arraycopy(chunk, 0, out, pos, chunk.length);
            pos += chunk.length;
        }
        System.arraycopy(current, 0, out, pos, inCurrent);
        return out;
    }

    /** The attachment budget is spent. */
    public static final class LimitExceeded extends IOException {
        private static final long serialVersionUID = 1L;

        LimitExceeded() {
            super("attachment size limit exceeded");
        }
    }
}
