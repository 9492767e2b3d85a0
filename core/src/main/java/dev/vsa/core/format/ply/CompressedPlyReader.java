package dev.vsa.core.format.ply;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.ChannelIo;
import dev.vsa.core.format.util.BatchChecks;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFileInfo;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Reads a PlayCanvas compressed PLY (layout in {@link CompressedPly}) into the splat model. */
final class CompressedPlyReader implements SplatReader {
    private static final int IO_ROWS = 1 << 14;

    private final FileChannel ch;
    private final SplatFileInfo info;
    private final boolean bigEndian;
    private final long count;
    /** Per chunk: 18 bounds (colour bounds 0..1 when the file has only 12). */
    private final float[] bounds;
    private final int vertexRowSize;
    private final int[] vertexOffsets = new int[4];
    private final PlyType[] vertexTypes = new PlyType[4];
    private final int shRowSize;
    private final int[] shOffsets;
    private final byte[] vio;
    private final byte[] sio;
    private long vertexPos;
    private long shPos;
    private long done;

    private CompressedPlyReader(FileChannel ch, long fileSize, PlyHeader h) throws IOException {
        this.ch = ch;
        if (!h.binary()) {
            throw new MalformedInputException(ErrorCode.UNSUPPORTED_FEATURE, "header line 2",
                    "an ascii compressed PLY; vsa reads binary ones only");
        }
        bigEndian = h.bigEndian();
        PlyElement chunk = h.element("chunk");
        PlyElement vertex = h.element("vertex");
        PlyElement sh = h.element("sh");
        if (chunk == null || vertex == null) {
            throw new MalformedInputException(ErrorCode.PLY_BAD_HEADER, null, "a compressed PLY needs 'chunk' and 'vertex' elements");
        }
        long offset = h.dataOffset();
        long chunkPos = -1;
        long vPos = -1;
        long sPos = -1;
        for (PlyElement e : h.elements()) {
            int rs = e.rowSize();
            if (rs < 0) {
                throw new MalformedInputException(ErrorCode.PLY_BAD_PROPERTY_TYPE, "element " + e.name(),
                        "element '" + e.name() + "' of a compressed PLY has a list property");
            }
            if (e.count() > (fileSize - offset) / Math.max(1, rs)) {
                throw MalformedInputException.atByte(ErrorCode.PLY_TRUNCATED, offset, "element '" + e.name()
                        + "' declares " + e.count() + " rows of " + rs + " bytes but only " + (fileSize - offset)
                        + " bytes follow");
            }
            if (e == chunk) {
                chunkPos = offset;
            } else if (e == vertex) {
                vPos = offset;
            } else if (e == sh) {
                sPos = offset;
            }
            offset += e.count() * rs;
        }
        count = vertex.count();
        if (chunk.count() != (count + CompressedPly.CHUNK - 1) / CompressedPly.CHUNK) {
            throw new MalformedInputException(ErrorCode.PLY_COMPRESSED_BAD_CHUNKS, "element chunk",
                    chunk.count() + " chunks for " + count + " vertices; expected " + ((count + 255) / 256));
        }
        // chunk bounds
        int nb = chunk.properties().size();
        int[] boundIndex = new int[18];
        for (int k = 0; k < 18; k++) {
            boundIndex[k] = chunk.indexOf(CompressedPly.CHUNK_PROPS.get(k));
            if (boundIndex[k] < 0 && k < 12) {
                throw new MalformedInputException(ErrorCode.PLY_MISSING_PROPERTY, "element chunk",
                        "chunk property '" + CompressedPly.CHUNK_PROPS.get(k) + "' is missing");
            }
        }
        for (PlyProperty p : chunk.properties()) {
            if (p.type() != PlyType.FLOAT) {
                throw new MalformedInputException(ErrorCode.PLY_BAD_PROPERTY_TYPE, "element chunk, property " + p.name(),
                        "chunk property '" + p.name() + "' is " + p.type().headerName() + ", not float");
            }
        }
        if (chunk.count() > Integer.MAX_VALUE / 18) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, "element chunk", chunk.count() + " chunks is more than vsa reads");
        }
        int chunkRow = chunk.rowSize();
        bounds = new float[(int) chunk.count() * 18];
        byte[] cb = new byte[(int) Math.min(chunk.count() * chunkRow, 1 << 20) / chunkRow * chunkRow + chunkRow];
        long pos = chunkPos;
        for (int c0 = 0; c0 < chunk.count(); ) {
            int n = (int) Math.min(cb.length / chunkRow, chunk.count() - c0);
            ChannelIo.readFully(ch, ByteBuffer.wrap(cb, 0, n * chunkRow), pos, ErrorCode.PLY_TRUNCATED);
            pos += (long) n * chunkRow;
            for (int r = 0; r < n; r++) {
                int o = (c0 + r) * 18;
                for (int k = 0; k < 18; k++) {
                    if (boundIndex[k] >= 0) {
                        bounds[o + k] = Bytes.read(cb, r * chunkRow + 4 * boundIndex[k], PlyType.FLOAT, bigEndian);
                    } else {
                        bounds[o + k] = k < 15 ? 0f : 1f; // no colour bounds: colour bytes are plain 0..1
                    }
                }
            }
            c0 += n;
        }
        // vertex words
        int off = 0;
        for (PlyProperty p : vertex.properties()) {
            int k = CompressedPly.VERTEX_PROPS.indexOf(p.name());
            if (k >= 0) {
                if (p.type() != PlyType.UINT && p.type() != PlyType.INT) {
                    throw new MalformedInputException(ErrorCode.PLY_BAD_PROPERTY_TYPE, "element vertex, property " + p.name(),
                            "'" + p.name() + "' is " + p.type().headerName() + ", not uint");
                }
                vertexOffsets[k] = off;
                vertexTypes[k] = p.type();
            }
            off += p.type().size;
        }
        for (int k = 0; k < 4; k++) {
            if (vertexTypes[k] == null) {
                throw new MalformedInputException(ErrorCode.PLY_MISSING_PROPERTY, "element vertex",
                        "vertex property '" + CompressedPly.VERTEX_PROPS.get(k) + "' is missing");
            }
        }
        vertexRowSize = off;
        vertexPos = vPos;
        int degree = 0;
        if (sh != null) {
            int n = sh.properties().size();
            degree = switch (n) {
                case 9 -> 1;
                case 24 -> 2;
                case 45 -> 3;
                default -> throw new MalformedInputException(ErrorCode.PLY_BAD_SH_LAYOUT, "element sh",
                        n + " sh properties; whole SH degrees need 9, 24 or 45");
            };
            if (sh.count() != count) {
                throw new MalformedInputException(ErrorCode.PLY_COMPRESSED_BAD_CHUNKS, "element sh",
                        "sh element has " + sh.count() + " rows for " + count + " vertices");
            }
            shOffsets = new int[n];
            for (int k = 0; k < n; k++) {
                int i = sh.indexOf("f_rest_" + k);
                if (i < 0) {
                    throw new MalformedInputException(ErrorCode.PLY_BAD_SH_LAYOUT, "element sh", "f_rest_" + k + " is missing");
                }
                if (sh.properties().get(i).type() != PlyType.UCHAR) {
                    throw new MalformedInputException(ErrorCode.PLY_BAD_PROPERTY_TYPE, "element sh, property f_rest_" + k,
                            "sh properties must be uchar");
                }
                shOffsets[k] = i; // uchar rows: property index == byte offset
            }
            shRowSize = sh.rowSize();
            shPos = sPos;
            sio = new byte[IO_ROWS * shRowSize];
        } else {
            shOffsets = new int[0];
            shRowSize = 0;
            sio = null;
        }
        vio = new byte[IO_ROWS * vertexRowSize];
        info = new SplatFileInfo(SplatFormat.COMPRESSED_PLY, 0, h.encoding(), count, SplatLayout.of(degree), fileSize);
    }

    static CompressedPlyReader open(Path path) throws IOException {
        return ChannelIo.openReading(path, ch -> new CompressedPlyReader(ch, ch.size(), PlyHeader.read(ch, ch.size())));
    }

    @Override
    public SplatFileInfo info() {
        return info;
    }

    @Override
    public int read(SplatBatch batch) throws IOException {
        int rows = BatchChecks.rowsToRead(info.layout(), batch, count - done);
        if (rows == 0) {
            return 0;
        }
        float[] out = batch.array();
        int stride = batch.stride();
        int restCount = info.layout().restCount();
        for (int r0 = 0; r0 < rows; r0 += IO_ROWS) {
            int n = Math.min(IO_ROWS, rows - r0);
            ChannelIo.readFully(ch, ByteBuffer.wrap(vio, 0, n * vertexRowSize), vertexPos, ErrorCode.PLY_TRUNCATED);
            vertexPos += (long) n * vertexRowSize;
            if (sio != null) {
                ChannelIo.readFully(ch, ByteBuffer.wrap(sio, 0, n * shRowSize), shPos, ErrorCode.PLY_TRUNCATED);
                shPos += (long) n * shRowSize;
            }
            for (int r = 0; r < n; r++) {
                long index = done + r0 + r;
                int b = (int) (index / CompressedPly.CHUNK) * 18;
                int v = r * vertexRowSize;
                int o = (r0 + r) * stride;
                long pp = word(v, 0);
                long pr = word(v, 1);
                long ps = word(v, 2);
                long pc = word(v, 3);
                out[o + SplatLayout.X] = lerp(bounds[b], bounds[b + 3], unorm(pp >>> 21, 11));
                out[o + SplatLayout.Y] = lerp(bounds[b + 1], bounds[b + 4], unorm(pp >>> 11, 10));
                out[o + SplatLayout.Z] = lerp(bounds[b + 2], bounds[b + 5], unorm(pp, 11));
                out[o + SplatLayout.SCALE_0] = lerp(bounds[b + 6], bounds[b + 9], unorm(ps >>> 21, 11));
                out[o + SplatLayout.SCALE_1] = lerp(bounds[b + 7], bounds[b + 10], unorm(ps >>> 11, 10));
                out[o + SplatLayout.SCALE_2] = lerp(bounds[b + 8], bounds[b + 11], unorm(ps, 11));
                double qa = ROT[(int) (pr >>> 20) & 1023];
                double qb = ROT[(int) (pr >>> 10) & 1023];
                double qc = ROT[(int) pr & 1023];
                float m = (float) Math.sqrt(Math.max(0, 1 - (qa * qa + qb * qb + qc * qc)));
                int largest = (int) ((pr >>> 30) & 3);
                int q = o + SplatLayout.ROT_W;
                switch (largest) {
                    case 0 -> set4(out, q, m, (float) qa, (float) qb, (float) qc);
                    case 1 -> set4(out, q, (float) qa, m, (float) qb, (float) qc);
                    case 2 -> set4(out, q, (float) qa, (float) qb, m, (float) qc);
                    default -> set4(out, q, (float) qa, (float) qb, (float) qc, m);
                }
                double cr = lerp(bounds[b + 12], bounds[b + 15], unorm(pc >>> 24, 8));
                double cg = lerp(bounds[b + 13], bounds[b + 16], unorm(pc >>> 16, 8));
                double cbl = lerp(bounds[b + 14], bounds[b + 17], unorm(pc >>> 8, 8));
                out[o + SplatLayout.DC_0] = (float) ((cr - 0.5) / CompressedPly.SH_C0);
                out[o + SplatLayout.DC_1] = (float) ((cg - 0.5) / CompressedPly.SH_C0);
                out[o + SplatLayout.DC_2] = (float) ((cbl - 0.5) / CompressedPly.SH_C0);
                out[o + SplatLayout.OPACITY] = OPACITY[(int) pc & 255];
                if (sio != null) {
                    int s = r * shRowSize;
                    for (int k = 0; k < restCount; k++) {
                        out[o + SplatLayout.REST + k] = SH[sio[s + shOffsets[k]] & 0xFF];
                    }
                }
            }
        }
        done += rows;
        batch.setSize(rows);
        return rows;
    }

    /** Values that depend on one byte or one 10-bit field only, decoded once (the same arithmetic per value). */
    private static final double[] ROT = new double[1024];
    private static final float[] OPACITY = new float[256];
    private static final float[] SH = new float[256];

    static {
        for (int i = 0; i < 1024; i++) {
            ROT[i] = (unorm(i, 10) - 0.5) / CompressedPly.ROT_NORM;
        }
        for (int by = 0; by < 256; by++) {
            double alpha = Math.min(1 - CompressedPly.ALPHA_EPS, Math.max(CompressedPly.ALPHA_EPS, unorm(by, 8)));
            OPACITY[by] = (float) -Math.log(1 / alpha - 1);
            double nv = by == 0 ? 0 : by == 255 ? 1 : (by + 0.5) / 256;
            SH[by] = (float) ((nv - 0.5) * 8);
        }
    }

    private long word(int rowStart, int k) {
        return (long) Bytes.readCount(vio, rowStart + vertexOffsets[k], PlyType.UINT, bigEndian);
    }

    private static double unorm(long value, int bits) {
        int t = (1 << bits) - 1;
        return (double) (value & t) / t;
    }

    private static float lerp(float a, float b, double t) {
        return (float) (a * (1 - t) + b * t);
    }

    private static void set4(float[] a, int o, float w, float x, float y, float z) {
        a[o] = w;
        a[o + 1] = x;
        a[o + 2] = y;
        a[o + 3] = z;
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
