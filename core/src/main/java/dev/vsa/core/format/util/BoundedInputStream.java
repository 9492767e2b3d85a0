package dev.vsa.core.format.util;

import java.io.IOException;
import java.io.InputStream;

/**
 * At most {@code limit} bytes of another stream (e.g. a GLB's JSON chunk read through the file's channel).
 * Closing it leaves the underlying stream open: that belongs to the caller.
 */
public final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;

    /** @throws IllegalArgumentException if {@code limit < 0} */
    public BoundedInputStream(InputStream in, long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }
        this.in = in;
        this.remaining = limit;
    }

    @Override
    public int read() throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int b = in.read();
        if (b >= 0) {
            remaining--;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int r = in.read(b, off, (int) Math.min(len, remaining));
        if (r > 0) {
            remaining -= r;
        }
        return r;
    }

    @Override
    public void close() {
        // the underlying stream belongs to the caller
    }
}
