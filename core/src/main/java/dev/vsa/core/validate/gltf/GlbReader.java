package dev.vsa.core.validate.gltf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Reads a GLB container's header and chunk table with bounded reads (never the chunk payloads), reporting the
 * Khronos GLB_* issues at byte offsets. Records where the JSON and BIN chunks are.
 */
final class GlbReader {
    private static final int MAGIC = 0x46546C67;
    private static final int JSON = 0x4E4F534A;
    private static final int BIN = 0x004E4942;

    /** Where the chunks are; {@code aborted} when the Khronos reader would give up on the whole asset. */
    record Layout(boolean aborted, long jsonOffset, long jsonLength, long binOffset, long binLength, boolean hasJson,
                  boolean hasBin, boolean emptyJsonBeforeData) {
        Layout(boolean aborted, long jsonOffset, long jsonLength, long binOffset, long binLength, boolean hasJson,
               boolean hasBin) {
            this(aborted, jsonOffset, jsonLength, binOffset, binLength, hasJson, hasBin, false);
        }
    }

    private GlbReader() {
    }

    private static String chunk(int type) {
        return String.format("0x%08x", type);
    }

    static Layout read(FileChannel ch, Ctx ctx) throws IOException {
        long size = ch.size();
        ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, h, 0);
        if (h.position() < 12) {
            ctx.issueAtByte(h.position(), GltfIssue.GLB_UNEXPECTED_END_OF_HEADER);
            return new Layout(true, 0, 0, 0, 0, false, false);
        }
        int magic = h.getInt(0);
        if (magic != MAGIC) {
            ctx.issueAtByte(0, GltfIssue.GLB_INVALID_MAGIC, Integer.toUnsignedLong(magic));
            return new Layout(true, 0, 0, 0, 0, false, false);
        }
        long version = Integer.toUnsignedLong(h.getInt(4));
        if (version != 2) {
            ctx.issueAtByte(4, GltfIssue.GLB_INVALID_VERSION, version);
            return new Layout(true, 0, 0, 0, 0, false, false);
        }
        long total = Integer.toUnsignedLong(h.getInt(8));
        if (total <= 12) {
            ctx.issueAtByte(8, GltfIssue.GLB_LENGTH_TOO_SMALL, total);
        }
        long off = 12;
        int chunkNumber = 0;
        boolean hasJson = false;
        boolean hasBin = false;
        long jsonOffset = 0, jsonLength = 0, binOffset = 0, binLength = 0;
        boolean emptyJsonBeforeData = false;
        ByteBuffer c = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        while (true) {
            if (off == size) {
                if (total != off) {
                    ctx.issueAtByte(off, GltfIssue.GLB_LENGTH_MISMATCH, total, off);
                }
                return new Layout(false, jsonOffset, jsonLength, binOffset, binLength, hasJson, hasBin, emptyJsonBeforeData);
            }
            if (off == total) {
                ctx.issueAtByte(off, GltfIssue.GLB_EXTRA_DATA);
                return new Layout(false, jsonOffset, jsonLength, binOffset, binLength, hasJson, hasBin, emptyJsonBeforeData);
            }
            c.clear();
            readFully(ch, c, off);
            if (c.position() < 8) {
                ctx.issueAtByte(size, GltfIssue.GLB_UNEXPECTED_END_OF_CHUNK_HEADER);
                return new Layout(true, 0, 0, 0, 0, false, false);
            }
            long length = Integer.toUnsignedLong(c.getInt(0));
            int type = c.getInt(4);
            long dataAt = off + 8;
            if ((length & 3) != 0) {
                ctx.issueAtByte(off, GltfIssue.GLB_CHUNK_LENGTH_UNALIGNED, chunk(type));
            }
            if (dataAt + length > total) {
                ctx.issueAtByte(off, GltfIssue.GLB_CHUNK_TOO_BIG, chunk(type), length);
            }
            if (chunkNumber == 0 && type != JSON) {
                ctx.issueAtByte(off, GltfIssue.GLB_UNEXPECTED_FIRST_CHUNK, chunk(type));
            }
            if (type == BIN && chunkNumber > 1 && !hasBin) {
                ctx.issueAtByte(off, GltfIssue.GLB_UNEXPECTED_BIN_CHUNK);
            }
            if (type == JSON) {
                if (length == 0) {
                    ctx.issueAtByte(off, GltfIssue.GLB_EMPTY_CHUNK, chunk(type));
                }
                if (hasJson) {
                    ctx.issueAtByte(off, GltfIssue.GLB_DUPLICATE_CHUNK, chunk(type));
                } else {
                    jsonOffset = dataAt;
                    jsonLength = length;
                    // The Khronos reader parses an empty JSON chunk (and fails) only when more bytes follow it.
                    emptyJsonBeforeData = length == 0 && dataAt < size;
                }
                hasJson = true;
            } else if (type == BIN) {
                if (length == 0) {
                    ctx.issueAtByte(off, GltfIssue.GLB_EMPTY_BIN_CHUNK);
                }
                if (hasBin) {
                    ctx.issueAtByte(off, GltfIssue.GLB_DUPLICATE_CHUNK, chunk(type));
                } else {
                    binOffset = dataAt;
                    binLength = length;
                }
                hasBin = true;
            } else {
                ctx.issueAtByte(off, GltfIssue.GLB_UNKNOWN_CHUNK_TYPE, chunk(type));
            }
            chunkNumber++;
            if (dataAt + length > size) {
                if (length > 0) {
                    ctx.issueAtByte(size, GltfIssue.GLB_UNEXPECTED_END_OF_CHUNK_DATA);
                }
                return new Layout(true, 0, 0, 0, 0, false, false);
            }
            off = dataAt + length;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, at + b.position());
            if (n < 0) {
                break;
            }
        }
    }
}
