package dev.vsa.core.gltf;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A run of bytes a glTF refers to: a range of a file (GLB BIN chunk, external .bin or image), read on demand
 * with positional reads, or bytes already in memory (a decoded data URI).
 */
final class Blob {
    private final Path file;
    private final long offset;
    private final long length;
    private final byte[] bytes;

    private Blob(Path file, long offset, long length, byte[] bytes) {
        this.file = file;
        this.offset = offset;
        this.length = length;
        this.bytes = bytes;
    }

    static Blob ofFile(Path file, long offset, long length) {
        return new Blob(file, offset, length, null);
    }

    static Blob ofBytes(byte[] bytes) {
        return new Blob(null, 0, bytes.length, bytes);
    }

    long length() {
        return length;
    }

    /** The sub-range {@code [from, from + len)}; null if it does not fit. */
    Blob slice(long from, long len) {
        if (from < 0 || len < 0 || from > length || len > length - from) {
            return null;
        }
        return bytes != null ? new Blob(null, offset + from, len, bytes) : new Blob(file, offset + from, len, null);
    }

    /** Up to {@code max} bytes starting at {@code from} (fewer at the end). */
    byte[] read(long from, int max) throws IOException {
        if (from < 0 || from >= length) {
            return new byte[0];
        }
        int n = (int) Math.min(max, length - from);
        if (bytes != null) {
            int start = (int) (offset + from);
            return Arrays.copyOfRange(bytes, start, start + n);
        }
        ByteBuffer buf = ByteBuffer.allocate(n);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = offset + from;
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos + buf.position());
                if (r < 0) {
                    break;
                }
            }
        }
        return buf.position() == n ? buf.array() : Arrays.copyOf(buf.array(), buf.position());
    }

    /**
     * All bytes, for data that must be in memory (a data URI being written).
     *
     * @throws MalformedInputException {@code LIMIT_EXCEEDED} if longer than {@code cap}
     */
    byte[] readAll(long cap, String what) throws IOException {
        if (length > cap) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, null,
                    what + " is " + length + " bytes, more than the " + cap + " vsa embeds");
        }
        byte[] all = read(0, (int) length);
        if (all.length != length) {
            throw new MalformedInputException(ErrorCode.TRUNCATED, null, what + " ends after " + all.length
                    + " of " + length + " bytes");
        }
        return all;
    }

    /**
     * The bytes as a read-only buffer without a heap copy (a file range is memory-mapped), for header readers;
     * at most the first 2 GiB.
     */
    java.nio.ByteBuffer map() throws IOException {
        int n = (int) Math.min(length, Integer.MAX_VALUE);
        if (bytes != null) {
            return ByteBuffer.wrap(bytes, (int) offset, n).slice().asReadOnlyBuffer();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, offset, n);
        }
    }

    /** Writes every byte to {@code out} (file ranges by channel transfer, without a heap copy). */
    void copyTo(WritableByteChannel out, String what) throws IOException {
        if (bytes != null) {
            ByteBuffer b = ByteBuffer.wrap(bytes, (int) offset, (int) length);
            while (b.hasRemaining()) {
                out.write(b);
            }
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long done = 0;
            ByteBuffer buf = null;
            while (done < length) {
                long n = ch.transferTo(offset + done, length - done, out);
                if (n <= 0) {
                    // transferTo may move nothing (end of file, or a channel it cannot feed): copy one block by hand
                    if (buf == null) {
                        buf = ByteBuffer.allocate(64 * 1024);
                    }
                    buf.clear().limit((int) Math.min(buf.capacity(), length - done));
                    n = ch.read(buf, offset + done);
                    if (n <= 0) {
                        throw new MalformedInputException(ErrorCode.TRUNCATED, null, what + " ends after "
                                + done + " of " + length + " bytes");
                    }
                    buf.flip();
                    while (buf.hasRemaining()) {
                        out.write(buf);
                    }
                }
                done += n;
            }
        }
    }
}
