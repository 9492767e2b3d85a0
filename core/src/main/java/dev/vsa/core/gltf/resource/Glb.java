package dev.vsa.core.gltf.resource;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;

import dev.vsa.core.format.util.BoundedInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.function.Consumer;

/**
 * The GLB container (glTF 2.0 specification, "GLB File Format Specification"): a 12-byte header (magic, version,
 * total length) and chunks of {@code length, type, data}, JSON first, then at most one BIN. One walk over the chunk
 * table serves every reader: it reads only the 8-byte chunk headers (never a payload), bounds every length by the
 * file's, and reports each structural problem as a typed {@link Finding} in the order the Khronos validator meets
 * them; chunks of unknown types are skipped.
 *
 * <p>Two ways in: {@link #read} hands every finding to the caller (the validator maps them to its GLB_* issues) and
 * {@link #open} applies the readers' policy, failing on the first problem a reader cannot read past.
 *
 * <pre>{@code
 * Glb.Layout glb = Glb.open(channel, 512L << 20);
 * ObjectNode json = new BoundedJson(256, 512L << 20).readObject(Glb.data(channel, glb.json()), "the GLB's JSON chunk");
 * }</pre>
 */
public final class Glb {
    /** {@code "glTF"}, little-endian. */
    public static final int MAGIC = 0x46546C67;
    /** Chunk type {@code "JSON"}. */
    public static final int CHUNK_JSON = 0x4E4F534A;
    /** Chunk type {@code "BIN\0"}. */
    public static final int CHUNK_BIN = 0x004E4942;
    /** Bytes of the file header. */
    public static final int HEADER_BYTES = 12;
    /** Bytes of a chunk header. */
    public static final int CHUNK_HEADER_BYTES = 8;
    /** The smallest GLB a reader can use: the header and the JSON chunk's header. */
    public static final int MIN_BYTES = HEADER_BYTES + CHUNK_HEADER_BYTES;

    private Glb() {
    }

    /** One chunk of the table: its header starts at {@code offset}. */
    public record Chunk(long offset, int type, long length) {
        /** Where its data starts. */
        public long dataOffset() {
            return offset + CHUNK_HEADER_BYTES;
        }

        /** Its type as the Khronos validator prints it, e.g. {@code 0x4e4f534a}. */
        public String typeName() {
            return String.format("0x%08x", type);
        }
    }

    /** A structural problem, named after the Khronos validator's GLB_* issue it stands for. */
    public enum Problem {
        /** The file ends inside the 12-byte header (GLB_UNEXPECTED_END_OF_HEADER). */
        END_OF_HEADER,
        /** Not the GLB magic; {@link Finding#value} is the magic read (GLB_INVALID_MAGIC). */
        BAD_MAGIC,
        /** Not version 2; {@link Finding#value} is the version (GLB_INVALID_VERSION). */
        BAD_VERSION,
        /** The declared length is at most the header's; {@link Finding#value} is it (GLB_LENGTH_TOO_SMALL). */
        LENGTH_TOO_SMALL,
        /** The chunks end at {@link Finding#offset}, not at the declared {@link Finding#value} (GLB_LENGTH_MISMATCH). */
        LENGTH_MISMATCH,
        /** Bytes follow the declared length (GLB_EXTRA_DATA). */
        EXTRA_DATA,
        /** The file ends inside a chunk header (GLB_UNEXPECTED_END_OF_CHUNK_HEADER). */
        END_OF_CHUNK_HEADER,
        /** A chunk length is not a multiple of 4 (GLB_CHUNK_LENGTH_UNALIGNED). */
        CHUNK_UNALIGNED,
        /** A chunk's data runs past the declared length (GLB_CHUNK_TOO_BIG). */
        CHUNK_TOO_BIG,
        /** The first chunk is not JSON (GLB_UNEXPECTED_FIRST_CHUNK). */
        FIRST_CHUNK_NOT_JSON,
        /** A BIN chunk that is not the second chunk (GLB_UNEXPECTED_BIN_CHUNK). */
        BIN_NOT_SECOND,
        /** A JSON chunk of zero length (GLB_EMPTY_CHUNK). */
        EMPTY_JSON,
        /** A BIN chunk of zero length (GLB_EMPTY_BIN_CHUNK). */
        EMPTY_BIN,
        /** A second JSON or BIN chunk (GLB_DUPLICATE_CHUNK). */
        DUPLICATE_CHUNK,
        /** A chunk of a type glTF does not define (GLB_UNKNOWN_CHUNK_TYPE). */
        UNKNOWN_CHUNK,
        /** The file ends inside a chunk's data (GLB_UNEXPECTED_END_OF_CHUNK_DATA). */
        END_OF_CHUNK_DATA
    }

    /**
     * One problem where it is.
     *
     * @param problem what
     * @param offset  the byte it is reported at (as the Khronos validator reports it)
     * @param value   the header field it is about (magic, version, declared length); 0 where none
     * @param chunk   the chunk it is about, or null
     */
    public record Finding(Problem problem, long offset, long value, Chunk chunk) {
    }

    /**
     * Where the chunks are.
     *
     * @param aborted             the walk stopped where a reader cannot go on (the Khronos reader gives up on the
     *                            asset); {@code json} and {@code bin} are then null
     * @param declaredLength      the header's total length (0 if the header was not read)
     * @param json                the first JSON chunk, or null
     * @param bin                 the first BIN chunk, or null
     * @param emptyJsonBeforeData the first JSON chunk is empty and more bytes follow it (the Khronos reader then
     *                            parses it, and fails)
     */
    public record Layout(boolean aborted, long declaredLength, Chunk json, Chunk bin, boolean emptyJsonBeforeData) {
        static Layout stopped(long declaredLength) {
            return new Layout(true, declaredLength, null, null, false);
        }
    }

    /** True when {@code head} (little-endian, from its position) starts with the GLB magic. */
    public static boolean hasMagic(ByteBuffer head) {
        return head.remaining() >= 4
                && head.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(head.position()) == MAGIC;
    }

    /** {@code v} rounded up to a multiple of 4 (chunks start and end 4-byte aligned). */
    public static long align4(long v) {
        return (v + 3) & ~3L;
    }

    /**
     * Walks the header and chunk table as the Khronos validator does, giving every problem to {@code findings} in
     * the order met. Reads the 12-byte header and each 8-byte chunk header, nothing else; a chunk's data is stepped
     * over by its length (no padding is assumed), and the walk ends at the end of the file, at the declared length,
     * or where the file ends inside a chunk.
     *
     * @throws IOException if reading the channel fails
     */
    public static Layout read(FileChannel ch, Consumer<Finding> findings) throws IOException {
        long size = ch.size();
        ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, h, 0);
        if (h.position() < HEADER_BYTES) {
            findings.accept(new Finding(Problem.END_OF_HEADER, h.position(), 0, null));
            return Layout.stopped(0);
        }
        int magic = h.getInt(0);
        if (magic != MAGIC) {
            findings.accept(new Finding(Problem.BAD_MAGIC, 0, Integer.toUnsignedLong(magic), null));
            return Layout.stopped(0);
        }
        long version = Integer.toUnsignedLong(h.getInt(4));
        if (version != 2) {
            findings.accept(new Finding(Problem.BAD_VERSION, 4, version, null));
            return Layout.stopped(0);
        }
        long total = Integer.toUnsignedLong(h.getInt(8));
        if (total <= HEADER_BYTES) {
            findings.accept(new Finding(Problem.LENGTH_TOO_SMALL, 8, total, null));
        }
        long off = HEADER_BYTES;
        int chunkNumber = 0;
        Chunk json = null;
        Chunk bin = null;
        boolean emptyJsonBeforeData = false;
        ByteBuffer c = ByteBuffer.allocate(CHUNK_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        while (true) {
            if (off == size) {
                if (total != off) {
                    findings.accept(new Finding(Problem.LENGTH_MISMATCH, off, total, null));
                }
                return new Layout(false, total, json, bin, emptyJsonBeforeData);
            }
            if (off == total) {
                findings.accept(new Finding(Problem.EXTRA_DATA, off, total, null));
                return new Layout(false, total, json, bin, emptyJsonBeforeData);
            }
            c.clear();
            readFully(ch, c, off);
            if (c.position() < CHUNK_HEADER_BYTES) {
                findings.accept(new Finding(Problem.END_OF_CHUNK_HEADER, size, 0, null));
                return Layout.stopped(total);
            }
            Chunk chunk = new Chunk(off, c.getInt(4), Integer.toUnsignedLong(c.getInt(0)));
            long dataAt = chunk.dataOffset();
            long length = chunk.length();
            if ((length & 3) != 0) {
                findings.accept(new Finding(Problem.CHUNK_UNALIGNED, off, 0, chunk));
            }
            if (dataAt + length > total) {
                findings.accept(new Finding(Problem.CHUNK_TOO_BIG, off, total, chunk));
            }
            if (chunkNumber == 0 && chunk.type() != CHUNK_JSON) {
                findings.accept(new Finding(Problem.FIRST_CHUNK_NOT_JSON, off, 0, chunk));
            }
            if (chunk.type() == CHUNK_BIN && chunkNumber > 1 && bin == null) {
                findings.accept(new Finding(Problem.BIN_NOT_SECOND, off, 0, chunk));
            }
            if (chunk.type() == CHUNK_JSON) {
                if (length == 0) {
                    findings.accept(new Finding(Problem.EMPTY_JSON, off, 0, chunk));
                }
                if (json != null) {
                    findings.accept(new Finding(Problem.DUPLICATE_CHUNK, off, 0, chunk));
                } else {
                    json = chunk;
                    emptyJsonBeforeData = length == 0 && dataAt < size;
                }
            } else if (chunk.type() == CHUNK_BIN) {
                if (length == 0) {
                    findings.accept(new Finding(Problem.EMPTY_BIN, off, 0, chunk));
                }
                if (bin != null) {
                    findings.accept(new Finding(Problem.DUPLICATE_CHUNK, off, 0, chunk));
                } else {
                    bin = chunk;
                }
            } else {
                findings.accept(new Finding(Problem.UNKNOWN_CHUNK, off, 0, chunk));
            }
            chunkNumber++;
            if (dataAt + length > size) {
                if (length > 0) {
                    findings.accept(new Finding(Problem.END_OF_CHUNK_DATA, size, 0, chunk));
                }
                return Layout.stopped(total);
            }
            off = dataAt + length;
        }
    }

    /**
     * Opens a GLB for a reader that stops at the first problem it cannot read past. Accepted as the Khronos
     * validator reads past them (it warns or reports an error but still reads the asset): bytes after the declared
     * length, chunks of unknown types, an empty BIN chunk, a BIN chunk after an unknown one, a second BIN chunk (the
     * first is the buffer), a chunk length that is not a multiple of 4 (stepped over as declared). An empty JSON
     * chunk is left to the JSON parser.
     *
     * @param maxJsonBytes longest JSON chunk the caller parses
     * @return the layout, with a JSON chunk
     * @throws MalformedInputException {@code GLB_BAD_HEADER} (too short, not version 2, declared length too small,
     *                                 first chunk not JSON, a chunk header cut off, a second JSON chunk),
     *                                 {@code TRUNCATED} (the declared length or a chunk runs past the file's end)
     *                                 or {@code LIMIT_EXCEEDED} (JSON chunk over {@code maxJsonBytes}), at the byte
     *                                 of the field at fault
     * @throws IOException             if reading the channel fails
     */
    public static Layout open(FileChannel ch, long maxJsonBytes) throws IOException {
        long size = ch.size();
        if (size < MIN_BYTES) {
            throw MalformedInputException.atByte(ErrorCode.GLB_BAD_HEADER, 0,
                    "a GLB needs at least " + MIN_BYTES + " bytes, the file has " + size);
        }
        // The declared length is checked before the walk: a file cut short is TRUNCATED at the field that
        // promised more, whichever chunk the cut falls in.
        ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, h, 0);
        long declared = Integer.toUnsignedLong(h.getInt(8));
        long version = Integer.toUnsignedLong(h.getInt(4));
        if (h.getInt(0) == MAGIC && version == 2) {
            if (declared > size) {
                throw MalformedInputException.atByte(ErrorCode.TRUNCATED, 8, "the GLB header says " + declared
                        + " bytes, the file has " + size);
            }
            if (declared < MIN_BYTES) {
                throw MalformedInputException.atByte(ErrorCode.GLB_BAD_HEADER, 8, "the GLB length " + declared
                        + " is too small");
            }
        }
        Layout layout = read(ch, Glb::refuse);
        if (layout.json() == null) {
            throw MalformedInputException.atByte(ErrorCode.GLB_BAD_HEADER, HEADER_BYTES, "the GLB has no JSON chunk");
        }
        if (layout.json().length() > maxJsonBytes) {
            throw MalformedInputException.atByte(ErrorCode.LIMIT_EXCEEDED, layout.json().offset(), "the JSON chunk is "
                    + layout.json().length() + " bytes, more than the " + maxJsonBytes + " vsa parses");
        }
        return layout;
    }

    // The readers' policy: what the Khronos validator calls an error that leaves no readable asset.
    private static void refuse(Finding f) {
        Chunk c = f.chunk();
        switch (f.problem()) {
            case END_OF_HEADER, LENGTH_TOO_SMALL -> throw MalformedInputException.atByte(ErrorCode.GLB_BAD_HEADER,
                    f.offset(), "the GLB header is cut off or its length " + f.value() + " too small");
            case BAD_MAGIC -> throw MalformedInputException.atByte(ErrorCode.GLB_BAD_HEADER, 0, "not a GLB (magic "
                    + String.format("0x%08x", f.value()) + ")");
            case BAD_VERSION -> throw MalformedInputException.atByte(ErrorCode.GLB_BAD_HEADER, 4, "GLB version "
                    + f.value() + " is not 2 (glTF 1.0 binary files are not supported)");
            case LENGTH_MISMATCH -> throw MalformedInputException.atByte(ErrorCode.TRUNCATED, 8, "the GLB header says "
                    + f.value() + " bytes, its chunks end at " + f.offset());
            case END_OF_CHUNK_HEADER -> throw MalformedInputException.atByte(ErrorCode.GLB_BAD_HEADER, f.offset(),
                    "a chunk header is cut off at the end of the file");
            case CHUNK_TOO_BIG, END_OF_CHUNK_DATA -> throw MalformedInputException.atByte(ErrorCode.TRUNCATED,
                    c.offset(), "the chunk's length " + c.length() + " runs past the GLB's end");
            case FIRST_CHUNK_NOT_JSON -> throw MalformedInputException.atByte(ErrorCode.GLB_BAD_HEADER,
                    c.offset() + 4, "the first GLB chunk is not JSON (" + c.typeName() + ")");
            case DUPLICATE_CHUNK -> {
                // A second BIN is read past, the first one is the buffer (as the Khronos reader does, which still
                // reports the asset's info); a second JSON leaves no one meaning of the asset.
                if (c.type() == CHUNK_JSON) {
                    throw MalformedInputException.atByte(ErrorCode.GLB_BAD_HEADER, c.offset(), "a second JSON chunk");
                }
            }
            case EXTRA_DATA, CHUNK_UNALIGNED, BIN_NOT_SECOND, EMPTY_JSON, EMPTY_BIN, UNKNOWN_CHUNK -> {
                // readable: see open's Javadoc
            }
        }
    }

    /**
     * A buffered stream over {@code chunk}'s data, read from {@code ch} (whose position it moves); closing it
     * leaves the channel open.
     */
    public static InputStream data(FileChannel ch, Chunk chunk) throws IOException {
        return new BufferedInputStream(new BoundedInputStream(Channels.newInputStream(ch.position(chunk.dataOffset())),
                chunk.length()), 1 << 16);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                break;
            }
        }
    }
}
