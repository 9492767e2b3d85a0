package dev.vsa.core.format.spz;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates the single gzip member of a legacy SPZ file straight from its channel, checking what
 * {@code GZIPInputStream} would let slip: the header flags, the CRC-32 and length in the trailer, and bytes after
 * the member (reported as trailing data) beyond a bounded padding. The caller bounds the inflated size: it asks for
 * exactly the bytes the SPZ header promises and then calls {@link #finish()}, so a bomb is stopped at that size.
 */
final class GzipSource implements AutoCloseable {
    private static final int FHCRC = 2, FEXTRA = 4, FNAME = 8, FCOMMENT = 16;

    private final FileChannel channel;
    /** Where the stream starts in the channel; positions below are relative to it. */
    private final long base;
    private final long fileSize;
    private final int padding;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final ByteBuffer in = ByteBuffer.allocate(1 << 16);
    private long filePos;
    private long produced;

    /**
     * @param padding how many bytes (of any value) may follow the gzip member: a container's alignment padding
     */
    GzipSource(FileChannel channel, long base, long fileSize, int padding) throws IOException {
        this.channel = channel;
        this.base = base;
        this.fileSize = fileSize;
        this.padding = padding;
        in.limit(0);
        readHeader();
    }

    private int readByte() throws IOException {
        if (!in.hasRemaining() && !fill()) {
            throw MalformedInputException.atByte(ErrorCode.SPZ_TRUNCATED, filePos, "the gzip stream ends inside its header or trailer");
        }
        return in.get() & 0xff;
    }

    private boolean fill() throws IOException {
        in.clear();
        in.limit((int) Math.min(in.capacity(), Math.max(0, fileSize - filePos)));
        int n = filePos < fileSize ? channel.read(in, base + filePos) : -1;
        if (n <= 0) {
            in.limit(0);
            return false;
        }
        filePos += n;
        in.flip();
        return true;
    }

    private void readHeader() throws IOException {
        if (readByte() != 0x1f || readByte() != 0x8b) {
            throw MalformedInputException.atByte(ErrorCode.SPZ_BAD_MAGIC, 0, "not a gzip stream");
        }
        if (readByte() != 8) {
            throw MalformedInputException.atByte(ErrorCode.SPZ_BAD_COMPRESSION, 2, "gzip compression method is not deflate");
        }
        int flags = readByte();
        for (int i = 0; i < 6; i++) {
            readByte();
        }
        if ((flags & FEXTRA) != 0) {
            int len = readByte() | (readByte() << 8);
            for (int i = 0; i < len; i++) {
                readByte();
            }
        }
        if ((flags & FNAME) != 0) {
            while (readByte() != 0) {
                // skip the file name
            }
        }
        if ((flags & FCOMMENT) != 0) {
            while (readByte() != 0) {
                // skip the comment
            }
        }
        if ((flags & FHCRC) != 0) {
            readByte();
            readByte();
        }
    }

    /**
     * Checks, before inflating, that the trailer's size field (the inflated size mod 2^32: the file's last four
     * bytes, or four bytes before the padding) agrees with the {@code expected} size the SPZ header implies, give or
     * take {@code slack} bytes after it: a stream that inflates to more (a gzip bomb) or less is refused without
     * inflating it.
     *
     * @throws MalformedInputException {@code SPZ_TRAILING_DATA} or {@code SPZ_TRUNCATED}, at the size field
     */
    void checkTrailerSize(long expected, long slack) throws IOException {
        if (fileSize < 18 + padding) {
            return; // too short for a trailer: inflating reports it
        }
        ByteBuffer t = ByteBuffer.allocate(4 + padding).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        while (t.hasRemaining() && channel.read(t, base + fileSize - t.capacity() + t.position()) > 0) {
            // positional reads of the last bytes
        }
        long want = expected & 0xffffffffL;
        long stored = 0;
        for (int pad = 0; pad <= padding; pad++) { // the member may end up to `padding` bytes before the file
            stored = Integer.toUnsignedLong(t.getInt(padding - pad));
            if (((stored - want) & 0xffffffffL) <= slack) {
                return;
            }
        }
        throw MalformedInputException.atByte(stored > want ? ErrorCode.SPZ_TRAILING_DATA : ErrorCode.SPZ_TRUNCATED,
                fileSize - 4, "the gzip trailer gives an inflated size of " + stored + " bytes (mod 2^32), the SPZ"
                        + " header's count implies " + expected + (slack > 0 ? " (+ up to " + slack + ")" : "")
                        + "; not inflated");
    }

    /** Byte offset in the file of the next compressed byte not yet handed to the inflater. */
    private long consumedPosition() {
        return filePos - in.remaining() - inflater.getRemaining();
    }

    /**
     * Inflates exactly {@code len} bytes into {@code dst}.
     *
     * @throws MalformedInputException {@code SPZ_TRUNCATED} if the stream ends first, {@code SPZ_BAD_COMPRESSION} if corrupt
     */
    void readFully(byte[] dst, int off, int len) throws IOException {
        int n = Math.max(0, read(dst, off, len));
        if (n < len) {
            throw new MalformedInputException(ErrorCode.SPZ_TRUNCATED, "payload byte " + produced,
                    "the SPZ payload ends at byte " + produced + ", before the " + (produced - n + len) + " its header needs");
        }
    }

    private void feed() throws IOException {
        if (!in.hasRemaining() && !fill()) {
            throw MalformedInputException.atByte(ErrorCode.SPZ_TRUNCATED, fileSize, "the gzip stream is cut off after " + produced + " inflated bytes");
        }
        inflater.setInput(in.array(), in.position(), in.remaining());
        in.position(in.limit());
    }

    /** Inflates up to {@code len} bytes (fewer only at the end of the stream); -1 at the end. */
    int read(byte[] dst, int off, int len) throws IOException {
        int done = 0;
        while (done < len && !inflater.finished()) {
            int n;
            try {
                n = inflater.inflate(dst, off + done, len - done);
            } catch (DataFormatException e) {
                throw new MalformedInputException(ErrorCode.SPZ_BAD_COMPRESSION, "byte " + consumedPosition(),
                        "corrupt deflate data: " + e.getMessage(), e);
            }
            done += n;
            if (n == 0 && !inflater.finished()) {
                if (inflater.needsInput()) {
                    feed();
                } else if (inflater.needsDictionary()) {
                    throw MalformedInputException.atByte(ErrorCode.SPZ_BAD_COMPRESSION, consumedPosition(), "deflate stream asks for a preset dictionary");
                }
            }
        }
        crc.update(dst, off, done);
        produced += done;
        return done == 0 && len > 0 ? -1 : done;
    }

    /**
     * Checks that the deflate stream ends here (no more inflated bytes), that the trailer matches, and that
     * nothing but the allowed padding follows the member.
     *
     * @throws MalformedInputException {@code SPZ_TRAILING_DATA}, {@code SPZ_BAD_COMPRESSION} or {@code SPZ_TRUNCATED}
     */
    void finish() throws IOException {
        byte[] probe = new byte[1];
        int n = read(probe, 0, 1);
        if (n > 0) {
            throw new MalformedInputException(ErrorCode.SPZ_TRAILING_DATA, "payload byte " + (produced - 1),
                    "the inflated SPZ payload is longer than the " + (produced - 1) + " bytes its header gives");
        }
        // Hand bytes the inflater did not use back to the reader of the trailer.
        int unused = inflater.getRemaining();
        in.position(in.position() - unused);
        inflater.reset();
        long crcStored = readByte() | (readByte() << 8) | (readByte() << 16) | ((long) readByte() << 24);
        long sizeStored = readByte() | (readByte() << 8) | (readByte() << 16) | ((long) readByte() << 24);
        if (crcStored != crc.getValue()) {
            throw MalformedInputException.atByte(ErrorCode.SPZ_BAD_COMPRESSION, consumedPosition() - 8,
                    "gzip CRC-32 mismatch: stored " + Long.toHexString(crcStored) + ", computed " + Long.toHexString(crc.getValue()));
        }
        if (sizeStored != (produced & 0xffffffffL)) {
            throw MalformedInputException.atByte(ErrorCode.SPZ_BAD_COMPRESSION, consumedPosition() - 4,
                    "gzip length field " + sizeStored + " does not match the " + produced + " inflated bytes");
        }
        long end = filePos - in.remaining();
        if (fileSize - end > padding) {
            throw MalformedInputException.atByte(ErrorCode.SPZ_TRAILING_DATA, end,
                    (fileSize - end) + " bytes follow the gzip stream");
        }
    }

    @Override
    public void close() {
        inflater.end();
    }
}
