package dev.vsa.core.format.spz;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.util.BackgroundTask;
import dev.vsa.core.format.util.ChannelOutput;
import dev.vsa.core.format.util.SpillBuffer;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.format.util.BatchChecks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes SPZ version 3 (one gzip stream, 16-byte header, no extension bytes: v3 readers check the payload size
 * exactly) or 4 (32-byte header, one {@code SPZ_ADOBE_coordinate_system} extension record declaring RDF, table of
 * contents, one zstd frame per attribute), quantizing as the
 * nianticlabs/spz reference packs (load-spz.cc at commit 21715c3): 24-bit positions with 12 fractional bits (fewer
 * when the scene is too large for them), log scales as {@code (s + 10) * 16}, alpha as {@code sigmoid * 255},
 * colour as {@code dc * 0.15 * 255 + 127.5}, smallest-three 10-bit rotations, SH degree 1 at 5 bits and higher
 * degrees at 4 bits. Rows are stored in the PLY's frame (RDF) without conversion, as splat-transform 3.7.0 and the
 * reference's command-line tools store them; v4 says so in its extension so that readers honouring it (the reference
 * library) need no guess, while readers ignoring extensions (splat-transform) read the same values.
 *
 * <p>Rows arrive in batches. Each attribute column is compressed as it arrives ({@link ColumnCompressor}: one zstd
 * frame per column for v4; for v3 one deflate segment per column, concatenated into the single gzip stream with
 * the CRC-32s combined), the SH column on a second thread (two SH buffers alternate, so encoding the next batch
 * overlaps compressing the last); compressed columns and the float positions (converted
 * once {@link #finish()} knows the scene's extent) wait in {@link SpillBuffer}s (heap up to a limit, then a
 * temporary file beside the output).
 */
final class SpzWriter implements SplatWriter {
    /** Heap kept per column before it spills to a temporary file. */
    static final long COLUMN_MEMORY = 24L << 20;
    private static final int FRACTIONAL_BITS = 12;
    /** Bytes of the v4 coordinate-system extension record: type, length, one uint32 frame. */
    static final int FRAME_EXTENSION = 12;

    private final Path path;
    private final SplatLayout layout;
    private final int version;
    private final int shDim;
    /** Positions as float32 until finish() knows the scene's extent. */
    private final SpillBuffer positions;
    /** Attribute columns 1-5 compressed as they arrive (0, positions, at finish). */
    private final ColumnCompressor[] compressors = new ColumnCompressor[6];
    private final int[] bytesPer;
    /** The SH column, the largest, is compressed on this thread while the caller reads the next batch. */
    private final BackgroundTask shTask = new BackgroundTask("vsa-spz-sh", "compressing SPZ spherical harmonics");
    private final byte[][] scratch = new byte[6][];
    /** The SH buffer not in {@code scratch[5]}: the one the running (or last) SH task compresses. */
    private byte[] shSpare;
    private final float[] q = new float[4];
    private long count;
    private double maxAbs;
    private boolean finished;
    /** SPZ's value of the frame the rows are in (RDF = 6 unless a frame step said otherwise). */
    private final int frameCode;

    SpzWriter(Path path, SplatLayout layout, int version) {
        this(path, layout, version, null);
    }

    /** @param frame the frame the rows are in (null: RDF), recorded in a v4 file; one of SPZ's 16 */
    SpzWriter(Path path, SplatLayout layout, int version, String frame) {
        if (version != 3 && version != 4) {
            throw new IllegalArgumentException("SPZ version must be 3 or 4, was " + version);
        }
        int code = frame == null ? SpzReader.RDF : dev.vsa.core.transform.Transform.Frame.SPZ_NAMES.indexOf(frame) + 1;
        if (code == 0 && version == 4) {
            throw new UnsupportedOperationException("SPZ v4 declares one of its 16 frames (RDF, RUB, LUF, RFU, ...), not "
                    + frame + ": choose one of those as --to-frame, or write --spz-version 3 (no frame record)");
        }
        this.frameCode = code;
        this.path = path;
        this.layout = layout;
        this.version = version;
        this.shDim = layout.restPerChannel();
        // positions are kept as float32 until finish() knows the scene's extent
        this.bytesPer = new int[] {12, 1, 3, 3, 4, shDim * 3};
        Path dir = path.toAbsolutePath().getParent();
        this.positions = new SpillBuffer(COLUMN_MEMORY, dir);
        for (int a = 0; a < 6; a++) {
            compressors[a] = new ColumnCompressor(version == 4, new SpillBuffer(COLUMN_MEMORY, dir));
        }
    }

    @Override
    public void write(SplatBatch batch) throws IOException {
        BatchChecks.checkWrite(finished, layout, batch);
        int n = batch.size();
        if (n == 0) {
            return;
        }
        if (count + n > SpzReader.MAX_SPLATS) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, null, "SPZ holds at most " + SpzReader.MAX_SPLATS + " splats");
        }
        for (int a = 0; a < 6; a++) {
            int len = n * bytesPer[a];
            if (scratch[a] == null || scratch[a].length < len) {
                scratch[a] = new byte[len];
            }
        }
        // The SH task still running compresses the other buffer: the two alternate.
        byte[] shBytes = scratch[5];
        encode(batch.array(), batch.stride(), n);
        positions.write(scratch[0], 0, n * 12);
        for (int a = 1; a < 5; a++) {
            compressors[a].write(scratch[a], 0, n * bytesPer[a]);
        }
        shTask.await(); // at most one SH batch in flight, so the buffer it used is free again
        if (bytesPer[5] > 0) {
            int len = n * bytesPer[5];
            shTask.submit(() -> {
                compressors[5].write(shBytes, 0, len);
                return null;
            });
            scratch[5] = shSpare != null ? shSpare : new byte[shBytes.length]; // grown above when a batch is larger
            shSpare = shBytes;
        }
        count += n;
    }

    private void encode(float[] rows, int stride, int n) {
        checkFinite(rows, stride, n);
        byte[] pos = scratch[0], alpha = scratch[1], color = scratch[2], scale = scratch[3], rot = scratch[4];
        double max = maxAbs;
        for (int i = 0, o = 0; i < n; i++, o += stride) {
            float x = rows[o], y = rows[o + 1], z = rows[o + 2];
            max = Math.max(max, Math.max(Math.abs(x), Math.max(Math.abs(y), Math.abs(z))));
            int p = i * 12;
            putFloat(pos, p, x);
            putFloat(pos, p + 4, y);
            putFloat(pos, p + 8, z);
            alpha[i] = (byte) SpzCoding.encodeAlpha(rows[o + SplatLayout.OPACITY]);
            for (int j = 0; j < 3; j++) {
                color[i * 3 + j] = (byte) SpzCoding.encodeColor(rows[o + SplatLayout.DC_0 + j]);
                scale[i * 3 + j] = (byte) SpzCoding.encodeScale(rows[o + SplatLayout.SCALE_0 + j]);
            }
            int comp = SpzCoding.packSmallestThree(rows[o + SplatLayout.ROT_W], rows[o + SplatLayout.ROT_X],
                    rows[o + SplatLayout.ROT_Y], rows[o + SplatLayout.ROT_Z], q);
            int r = i * 4;
            rot[r] = (byte) comp;
            rot[r + 1] = (byte) (comp >>> 8);
            rot[r + 2] = (byte) (comp >>> 16);
            rot[r + 3] = (byte) (comp >>> 24);
        }
        maxAbs = max;
        if (shDim > 0) {
            encodeSh(rows, stride, n, shDim, scratch[5]);
        }
    }

    /** SH rows, channel-major in the model, coefficient-major (k, then r g b) in SPZ. */
    private static void encodeSh(float[] rows, int stride, int n, int per, byte[] sh) {
        for (int i = 0, o = SplatLayout.REST; i < n; i++, o += stride) {
            int base = i * per * 3;
            for (int k = 0; k < per; k++) {
                int bucket = k < 3 ? 1 << (8 - SpzCoding.SH1_BITS) : 1 << (8 - SpzCoding.SH_REST_BITS);
                int d = base + k * 3;
                sh[d] = (byte) SpzCoding.encodeSh(rows[o + k], bucket);
                sh[d + 1] = (byte) SpzCoding.encodeSh(rows[o + per + k], bucket);
                sh[d + 2] = (byte) SpzCoding.encodeSh(rows[o + 2 * per + k], bucket);
            }
        }
    }

    /**
     * Throws for the first non-finite value SPZ would store. One branch-free pass finds whether there is one (an
     * IEEE value is non-finite when its exponent bits are all ones; adding one exponent step then carries into the
     * sign bit), and only then the slow pass names it.
     */
    private void checkFinite(float[] rows, int stride, int n) {
        int used = SplatLayout.REST + 3 * shDim;
        int carry = 0;
        if (used == stride) {
            for (int i = 0, end = n * stride; i < end; i++) {
                carry |= (Float.floatToRawIntBits(rows[i]) & 0x7f80_0000) + 0x0080_0000;
            }
        } else {
            for (int i = 0, o = 0; i < n; i++, o += stride) {
                for (int c = 0; c < used; c++) {
                    carry |= (Float.floatToRawIntBits(rows[o + c]) & 0x7f80_0000) + 0x0080_0000;
                }
            }
        }
        if (carry >= 0) {
            return;
        }
        for (int i = 0, o = 0; i < n; i++, o += stride) {
            for (int c = 0; c < used; c++) {
                if (!Float.isFinite(rows[o + c])) {
                    throw new MalformedInputException(ErrorCode.NON_FINITE_VALUES, "splat " + (count + i),
                            layout.columnName(c) + " is " + rows[o + c] + "; SPZ stores finite values only");
                }
            }
        }
    }

    private static void putFloat(byte[] b, int p, float v) {
        int bits = Float.floatToRawIntBits(v);
        b[p] = (byte) bits;
        b[p + 1] = (byte) (bits >>> 8);
        b[p + 2] = (byte) (bits >>> 16);
        b[p + 3] = (byte) (bits >>> 24);
    }

    private static float getFloat(byte[] b, int p) {
        return Float.intBitsToFloat((b[p] & 0xff) | ((b[p + 1] & 0xff) << 8) | ((b[p + 2] & 0xff) << 16) | (b[p + 3] << 24));
    }

    /** The largest number of fractional bits (at most 12, as the reference) that keeps every position in 24 bits. */
    private int fractionalBits() {
        for (int fb = FRACTIONAL_BITS; fb >= 0; fb--) {
            if (SpzCoding.round(maxAbs * (1 << fb)) <= (1 << 23) - 1) {
                return fb;
            }
        }
        throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, null,
                "a position of magnitude " + maxAbs + " exceeds SPZ's 24-bit range (8388607 units)");
    }

    @Override
    public void finish() throws IOException {
        if (finished) {
            throw new IllegalStateException("finish called twice");
        }
        finished = true;
        boolean ok = false;
        try {
            shTask.await();
            shTask.close();
            int fb = fractionalBits();
            compressPositions(fb);
            for (ColumnCompressor c : compressors) {
                c.finish();
            }
            try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                if (version == 4) {
                    writeV4(out, fb);
                } else {
                    writeV3(out, fb);
                }
            }
            ok = true;
        } finally {
            closeColumns();
            if (!ok) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Converts the float positions to 24-bit fixed point and compresses them. */
    private void compressPositions(int fb) throws IOException {
        byte[] buf = new byte[(1 << 20) / 12 * 12];
        byte[] fixed = new byte[buf.length / 12 * 9];
        float s = 1 << fb;
        for (long p = 0; p < positions.size(); ) {
            int n = positions.read(p, buf, 0, buf.length);
            p += n;
            int values = n / 4;
            for (int v = 0; v < values; v++) {
                int f = (int) SpzCoding.round(getFloat(buf, v * 4) * s);
                fixed[v * 3] = (byte) f;
                fixed[v * 3 + 1] = (byte) (f >>> 8);
                fixed[v * 3 + 2] = (byte) (f >>> 16);
            }
            compressors[0].write(fixed, 0, values * 3);
        }
    }

    private void writeV4(FileChannel out, int fb) throws IOException {
        int streams = 0;
        for (ColumnCompressor c : compressors) {
            if (c.size() > 0) {
                streams++;
            }
        }
        int toc = SpzReader.NGSP_HEADER + FRAME_EXTENSION;
        ByteBuffer head = ByteBuffer.allocate(toc + 16 * streams).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(SpzReader.MAGIC).putInt(4).putInt((int) count);
        head.put((byte) layout.shDegree()).put((byte) fb).put((byte) SpzReader.FLAG_EXTENSIONS).put((byte) streams);
        head.putInt(toc);
        head.position(SpzReader.NGSP_HEADER);
        // The frame the rows are stored in: the PLY's (RDF), unconverted, or a frame step's target.
        head.putInt(SpzReader.EXT_COORDINATE_SYSTEM).putInt(4).putInt(frameCode);
        for (ColumnCompressor c : compressors) {
            if (c.size() > 0) {
                head.putLong(c.output().size()).putLong(c.size());
            }
        }
        head.flip();
        writeFully(out, head);
        for (ColumnCompressor c : compressors) {
            if (c.size() > 0) {
                c.output().transferTo(out);
            }
        }
    }

    private void writeV3(FileChannel out, int fb) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(SpzReader.LEGACY_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(SpzReader.MAGIC).putInt(3).putInt((int) count);
        head.put((byte) layout.shDegree()).put((byte) fb).put((byte) 0).put((byte) 0);
        ColumnCompressor header = new ColumnCompressor(false, new SpillBuffer(1 << 10, null));
        try {
            header.write(head.array(), 0, SpzReader.LEGACY_HEADER);
            header.finish();
            writeFully(out, ByteBuffer.wrap(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 255}));
            header.output().transferTo(out);
            long crc = header.crc();
            long total = SpzReader.LEGACY_HEADER;
            for (ColumnCompressor c : compressors) {
                if (c.size() > 0) {
                    c.output().transferTo(out);
                    crc = ColumnCompressor.crc32Combine(crc, c.crc(), c.size());
                    total += c.size();
                }
            }
            // An empty final block (fixed Huffman, end of block), the CRC-32 and the length mod 2^32.
            writeFully(out, ByteBuffer.wrap(new byte[] {3, 0,
                (byte) crc, (byte) (crc >>> 8), (byte) (crc >>> 16), (byte) (crc >>> 24),
                (byte) total, (byte) (total >>> 8), (byte) (total >>> 16), (byte) (total >>> 24)}));
        } finally {
            header.output().close();
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    private void closeColumns() throws IOException {
        shTask.close(); // lets a running SH task end before its buffers are freed
        positions.close();
        for (ColumnCompressor c : compressors) {
            c.abandon();
            c.output().close();
        }
    }

    @Override
    public void close() throws IOException {
        if (!finished) {
            finished = true;
            closeColumns();
            Files.deleteIfExists(path);
        }
    }
}
