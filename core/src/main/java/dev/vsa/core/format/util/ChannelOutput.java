package dev.vsa.core.format.util;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A buffered output stream appending to a {@link FileChannel} that counts what it wrote and leaves the channel
 * open on {@link #close()} (so a compressor's close ends its frame, not the file). Internal to vsa's codecs.
 */
public final class ChannelOutput extends OutputStream {
    private final FileChannel channel;
    private final ByteBuffer buf;
    private long position;

    /** Appends at the channel's current position. */
    public ChannelOutput(FileChannel channel, int bufferSize) throws IOException {
        this.channel = channel;
        this.buf = ByteBuffer.allocate(bufferSize);
        this.position = channel.position();
    }

    /** Bytes written so far, plus the channel's position at construction (flushed or not). */
    public long position() {
        return position + buf.position();
    }

    @Override
    public void write(int b) throws IOException {
        if (!buf.hasRemaining()) {
            flush();
        }
        buf.put((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (!buf.hasRemaining()) {
                flush();
            }
            int n = Math.min(len, buf.remaining());
            buf.put(b, off, n);
            off += n;
            len -= n;
        }
    }

    /** Writes the buffer out (the channel itself is not forced to disk). */
    @Override
    public void flush() throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            position += channel.write(buf);
        }
        buf.clear();
    }

    /** Flushes; the channel stays open. */
    @Override
    public void close() throws IOException {
        flush();
    }
}
