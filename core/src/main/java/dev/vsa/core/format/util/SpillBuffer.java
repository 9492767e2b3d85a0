package dev.vsa.core.format.util;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only byte store that stays in heap up to a limit and then moves to a temporary file, so writers
 * that must see every splat before emitting a column (SPZ, GLB) keep memory bounded on huge inputs.
 * Internal to vsa's codecs (not part of the library's API); not thread-safe.
 *
 * <p>The temporary file lives in the directory given at construction (the output's, so it sits on the same
 * file system and not on a RAM-backed /tmp) and is deleted by {@link #close()}.
 */
public final class SpillBuffer implements Closeable {
    // 256 KB: under half of the smallest G1 region (1 MB), so a chunk is never a humongous allocation
    private static final int CHUNK = 1 << 18;

    private final long memoryLimit;
    private final Path tempDir;
    private final List<byte[]> chunks = new ArrayList<>();
    private int lastFill = CHUNK;
    private long size;
    private Path file;
    private FileChannel channel;
    private ByteBuffer fileBuf;

    /**
     * @param memoryLimit bytes kept in heap before spilling to a file
     * @param tempDir     where the spill file is created; null for the system default
     * @throws IllegalArgumentException if {@code memoryLimit < 0}
     */
    public SpillBuffer(long memoryLimit, Path tempDir) {
        if (memoryLimit < 0) {
            throw new IllegalArgumentException("memoryLimit must be >= 0, was " + memoryLimit);
        }
        this.memoryLimit = memoryLimit;
        this.tempDir = tempDir;
    }

    /** Bytes written so far. */
    public long size() {
        return size;
    }

    /** Whether the data has moved to a temporary file. */
    public boolean spilled() {
        return channel != null;
    }

    /**
     * Appends {@code len} bytes.
     *
     * @throws IOException if the spill file cannot be written
     */
    public void write(byte[] b, int off, int len) throws IOException {
        if (channel == null && size + len > memoryLimit) {
            spill();
        }
        if (channel != null) {
            while (len > 0) {
                int n = Math.min(len, fileBuf.remaining());
                fileBuf.put(b, off, n);
                off += n;
                len -= n;
                size += n;
                if (!fileBuf.hasRemaining()) {
                    flushFileBuf();
                }
            }
            return;
        }
        while (len > 0) {
            if (lastFill == CHUNK) {
                chunks.add(new byte[CHUNK]);
                lastFill = 0;
            }
            byte[] c = chunks.get(chunks.size() - 1);
            int n = Math.min(len, CHUNK - lastFill);
            System.arraycopy(b, off, c, lastFill, n);
            lastFill += n;
            off += n;
            len -= n;
            size += n;
        }
    }

    private void spill() throws IOException {
        Path dir = tempDir != null ? tempDir : Path.of(System.getProperty("java.io.tmpdir"));
        file = Files.createTempFile(dir, ".vsa-spill-", ".tmp");
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.DELETE_ON_CLOSE);
        fileBuf = ByteBuffer.allocate(CHUNK);
        long inMemory = size;
        for (int i = 0; i < chunks.size(); i++) {
            int n = (int) Math.min(CHUNK, inMemory - (long) i * CHUNK);
            ByteBuffer bb = ByteBuffer.wrap(chunks.get(i), 0, n);
            while (bb.hasRemaining()) {
                channel.write(bb);
            }
        }
        chunks.clear();
    }

    private void flushFileBuf() throws IOException {
        fileBuf.flip();
        while (fileBuf.hasRemaining()) {
            channel.write(fileBuf);
        }
        fileBuf.clear();
    }

    /**
     * Reads bytes at {@code position} into {@code dst} (up to its remaining space or the end of the data).
     *
     * @return bytes read
     * @throws IOException on a read failure
     */
    public int read(long position, byte[] dst, int off, int len) throws IOException {
        if (position >= size) {
            return 0;
        }
        len = (int) Math.min(len, size - position);
        if (channel != null) {
            if (fileBuf.position() > 0) {
                flushFileBuf();
            }
            ByteBuffer bb = ByteBuffer.wrap(dst, off, len);
            long p = position;
            while (bb.hasRemaining()) {
                int n = channel.read(bb, p);
                if (n < 0) {
                    throw new IllegalStateException("spill file shorter than its recorded size");
                }
                p += n;
            }
            return len;
        }
        int done = 0;
        while (done < len) {
            long p = position + done;
            byte[] c = chunks.get((int) (p / CHUNK));
            int in = (int) (p % CHUNK);
            int n = Math.min(len - done, CHUNK - in);
            System.arraycopy(c, in, dst, off + done, n);
            done += n;
        }
        return len;
    }

    /**
     * Copies everything written to {@code out}.
     *
     * @throws IOException on a read or write failure
     */
    public void transferTo(WritableByteChannel out) throws IOException {
        if (channel != null) {
            if (fileBuf.position() > 0) {
                flushFileBuf();
            }
            long p = 0;
            while (p < size) {
                long n = channel.transferTo(p, size - p, out);
                if (n <= 0) {
                    throw new IllegalStateException("spill file transfer stalled at " + p + " of " + size);
                }
                p += n;
            }
            return;
        }
        for (int i = 0; i < chunks.size(); i++) {
            int n = (int) Math.min(CHUNK, size - (long) i * CHUNK);
            ByteBuffer bb = ByteBuffer.wrap(chunks.get(i), 0, n);
            while (bb.hasRemaining()) {
                out.write(bb);
            }
        }
    }

    /** Frees the memory and deletes the temporary file. */
    @Override
    public void close() throws IOException {
        chunks.clear();
        if (channel != null) {
            channel.close();
            channel = null;
            Files.deleteIfExists(file);
        }
    }
}
