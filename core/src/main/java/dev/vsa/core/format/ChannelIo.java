package dev.vsa.core.format;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Positional whole reads and writes on a {@link FileChannel}. Internal helper for codecs. */
public final class ChannelIo {
    private ChannelIo() {
    }

    /**
     * Fills {@code buf}'s remaining space from {@code position}.
     *
     * @throws MalformedInputException with {@code truncated} if the file ends first
     */
    public static void readFully(FileChannel ch, ByteBuffer buf, long position, ErrorCode truncated)
            throws IOException {
        long p = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, p);
            if (n < 0) {
                throw MalformedInputException.atByte(truncated, p,
                        "the file ends at byte " + p + " but " + buf.remaining() + " more bytes were expected");
            }
            p += n;
        }
    }

    /** What takes over a channel just opened (a reader that closes it when it is closed). */
    @FunctionalInterface
    public interface ChannelOwner<T> {
        T take(FileChannel ch) throws IOException;
    }

    /**
     * Opens {@code path} for reading and hands the channel to {@code owner}, closing it if {@code owner} throws (a
     * header that does not parse leaves no file open).
     */
    public static <T> T openReading(Path path, ChannelOwner<T> owner) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return owner.take(ch);
        } catch (IOException | RuntimeException e) {
            try {
                ch.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Writes all of {@code buf}'s remaining bytes at the channel's position. */
    public static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Writes all of {@code buf}'s remaining bytes at {@code position}. */
    public static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long p = position;
        while (buf.hasRemaining()) {
            p += ch.write(buf, p);
        }
    }
}
