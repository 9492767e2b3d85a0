package dev.vsa.core.format.ksplat;

import dev.vsa.core.format.ChannelIo;
import dev.vsa.core.format.util.BatchChecks;
import dev.vsa.core.format.util.SpillBuffer;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatWriter;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Writes a GaussianSplats3D {@code .ksplat}, version 0.1, one section, as its {@code SplatBuffer
 * .generateFromUncompressedSplatArrays} lays one out (layout: {@link KsplatReader}):
 * <ul>
 *   <li>level 0: float32 position, linear scale, rotation w x y z, RGBA u8, SH float32;</li>
 *   <li>level 1: positions as u16 offsets from their bucket's centre ({@code (q - 32767) * blockSize / 2 / 32767}),
 *       scale and rotation as half floats, SH as half floats;</li>
 *   <li>level 2: as level 1 with SH in u8 over the file's SH range (header f32 at 36 and 40).</li>
 * </ul>
 * SH is stored up to degree 2 (GaussianSplats3D's maximum): band 1 as r r r g g g b b b, band 2 as 5 r, 5 g, 5 b.
 *
 * <p>Buckets (levels 1-2): GaussianSplats3D cuts space into cubes of {@link #BLOCK_SIZE} and fills buckets of 256
 * splats per cube. This writer keeps rows in the order they come (a conversion Morton-sorts them first, see
 * {@code Splats.convert}) and closes a bucket at 256 splats, or earlier when the next splat would stretch its
 * bounds past a cube of that size; every offset therefore fits the u16 range. The file holds the full buckets
 * first, then the partly filled ones (with their lengths), as the format requires: splats are reordered that much.
 *
 * <p>Memory: rows are kept in a {@link SpillBuffer} (in heap up to 32 MiB, then a temporary file beside the
 * output) until {@link #finish()} knows the counts and the SH range; the buckets cost 16 bytes each.
 * Rounding: colour, opacity and level-2 SH to nearest (GaussianSplats3D floors SH), so the error is half a step.
 */
final class KsplatWriter implements SplatWriter {
    /** The bucket cube's side in scene units: GaussianSplats3D's {@code BucketBlockSize}. */
    static final float BLOCK_SIZE = 5.0f;
    static final int BUCKET_SIZE = 256;
    static final int SCALE_RANGE = 32767;
    private static final long SPILL_MEMORY = 32L << 20;
    private static final double SH_C0 = 0.28209479177387814;
    private static final VarHandle F32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final SplatLayout layout;
    private final int level;
    private final int degree;
    /** Floats kept per row: position, log-scale, rotation, opacity, DC, then the SH kept (channel-major). */
    private final int keep;
    private final SpillBuffer spill;
    private final byte[] rowBytes;
    private long count;
    private float shMin = Float.POSITIVE_INFINITY, shMax = Float.NEGATIVE_INFINITY;
    private final float[] bounds = {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
    // buckets: length and centre; the open one's bounds
    private int[] bucketLength = new int[64];
    private float[] bucketCentre = new float[64 * 3];
    private int buckets;
    private final float[] open = new float[6];
    private int openLength;
    private boolean finished;
    private boolean closed;

    KsplatWriter(Path path, SplatLayout layout, int level) throws IOException {
        if (level < 0 || level > 2) {
            throw new IllegalArgumentException("ksplat compression level must be 0, 1 or 2, was " + level);
        }
        this.path = path;
        this.layout = layout;
        this.level = level;
        this.degree = Math.min(2, layout.shDegree());
        this.keep = SplatLayout.REST + 3 * SplatLayout.restPerChannel(degree);
        this.rowBytes = new byte[keep * 4];
        Path dir = path.toAbsolutePath().getParent();
        this.spill = new SpillBuffer(SPILL_MEMORY, dir);
        // created now, so a folder that cannot take it fails before any work
        Files.newByteChannel(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE).close();
    }

    @Override
    public void write(SplatBatch batch) throws IOException {
        BatchChecks.checkWrite(finished || closed, layout, batch);
        // The rows alone must fit one section (the bucket table is added in finish): refused before they are spilled.
        int bps = KsplatReader.bytesPerSplat(level, degree);
        if ((count + batch.size()) * bps > 0xFFFFFFFFL) {
            throw new IllegalArgumentException((count + batch.size()) + " splats are more than one .ksplat section "
                    + "holds (" + (0xFFFFFFFFL / bps) + " at level " + level + ")");
        }
        float[] a = batch.array();
        int stride = batch.stride();
        int per = layout.restPerChannel();
        int perKept = SplatLayout.restPerChannel(degree);
        byte[] chunk = new byte[Math.min(batch.size(), 4096) * rowBytes.length];
        int inChunk = 0;
        for (int r = 0; r < batch.size(); r++) {
            int o = r * stride;
            int d = inChunk * rowBytes.length;
            for (int k = 0; k < SplatLayout.REST; k++) {
                F32.set(chunk, d + 4 * k, a[o + k]);
            }
            for (int c = 0; c < 3; c++) {
                for (int j = 0; j < perKept; j++) {
                    float v = a[o + SplatLayout.REST + c * per + j];
                    F32.set(chunk, d + 4 * (SplatLayout.REST + c * perKept + j), v);
                    if (v < shMin) {
                        shMin = v;
                    }
                    if (v > shMax) {
                        shMax = v;
                    }
                }
            }
            addToBucket(a[o], a[o + 1], a[o + 2]);
            count++;
            if (++inChunk * rowBytes.length == chunk.length) {
                spill.write(chunk, 0, chunk.length);
                inChunk = 0;
            }
        }
        spill.write(chunk, 0, inChunk * rowBytes.length);
    }

    /** Adds a position to the open bucket, closing it first when full or when the position would stretch it. */
    private void addToBucket(float x, float y, float z) {
        float[] p = {x, y, z};
        for (int c = 0; c < 3; c++) {
            bounds[c] = Math.min(bounds[c], p[c]);
            bounds[3 + c] = Math.max(bounds[3 + c], p[c]);
        }
        if (level == 0) {
            return;
        }
        boolean fits = openLength > 0 && openLength < BUCKET_SIZE;
        for (int c = 0; fits && c < 3; c++) {
            fits = Math.max(open[3 + c], p[c]) - Math.min(open[c], p[c]) <= BLOCK_SIZE;
        }
        if (!fits) {
            closeBucket();
            for (int c = 0; c < 3; c++) {
                open[c] = p[c];
                open[3 + c] = p[c];
            }
        } else {
            for (int c = 0; c < 3; c++) {
                open[c] = Math.min(open[c], p[c]);
                open[3 + c] = Math.max(open[3 + c], p[c]);
            }
        }
        openLength++;
    }

    private void closeBucket() {
        if (openLength == 0) {
            return;
        }
        if (buckets == bucketLength.length) {
            bucketLength = Arrays.copyOf(bucketLength, buckets * 2);
            bucketCentre = Arrays.copyOf(bucketCentre, buckets * 6);
        }
        bucketLength[buckets] = openLength;
        for (int c = 0; c < 3; c++) {
            float centre = (open[c] + open[3 + c]) / 2;
            bucketCentre[3 * buckets + c] = Float.isFinite(centre) ? centre : 0f;
        }
        buckets++;
        openLength = 0;
    }

    @Override
    public void finish() throws IOException {
        if (finished || closed) {
            throw new IllegalStateException("the writer is finished or closed");
        }
        closeBucket();
        int bps = KsplatReader.bytesPerSplat(level, degree);
        int full = 0;
        for (int b = 0; b < buckets; b++) {
            if (bucketLength[b] == BUCKET_SIZE) {
                full++;
            }
        }
        int partial = buckets - full;
        long bucketBytes = level == 0 ? 0 : 12L * buckets + 4L * partial;
        long storage = bucketBytes + count * bps;
        if (storage > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(count + " splats are more than one .ksplat section holds ("
                    + (0xFFFFFFFFL / bps) + " at level " + level + ")");
        }
        // The SH range of level 2; the header reads 0 as "the default", so an end at exactly 0 is moved off it.
        float lo = shMin <= shMax ? shMin : -1.5f, hi = shMin <= shMax ? shMax : 1.5f;
        if (lo == hi) {
            lo -= 1e-3f;
            hi += 1e-3f;
        }
        lo = lo == 0 ? -1e-7f : lo;
        hi = hi == 0 ? 1e-7f : hi;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer h = ByteBuffer.allocate(KsplatReader.HEADER + KsplatReader.SECTION_HEADER).order(ByteOrder.LITTLE_ENDIAN);
            h.put(0, (byte) 0).put(1, (byte) 1);
            h.putInt(4, 1).putInt(8, 1).putInt(12, (int) count).putInt(16, (int) count);
            h.putShort(20, (short) level);
            for (int c = 0; c < 3; c++) {
                float centre = count == 0 ? 0 : (bounds[c] + bounds[3 + c]) / 2;
                h.putFloat(24 + 4 * c, Float.isFinite(centre) ? centre : 0f);
            }
            h.putFloat(36, lo).putFloat(40, hi);
            int s = KsplatReader.HEADER;
            h.putInt(s, (int) count).putInt(s + 4, (int) count);
            if (level > 0) {
                h.putInt(s + 8, BUCKET_SIZE).putInt(s + 12, buckets).putFloat(s + 16, BLOCK_SIZE);
                h.putShort(s + 20, (short) 12).putInt(s + 24, SCALE_RANGE);
                h.putInt(s + 32, full).putInt(s + 36, partial);
            }
            h.putInt(s + 28, (int) storage);
            h.putShort(s + 40, (short) degree);
            ChannelIo.writeFully(ch, h);
            if (level > 0) {
                ByteBuffer meta = ByteBuffer.allocate((int) bucketBytes).order(ByteOrder.LITTLE_ENDIAN);
                for (int b = 0; b < buckets; b++) {
                    if (bucketLength[b] != BUCKET_SIZE) {
                        meta.putInt(bucketLength[b]);
                    }
                }
                // full buckets' centres first, then the partial ones', in the order their splats follow
                for (int pass = 0; pass < 2; pass++) {
                    for (int b = 0; b < buckets; b++) {
                        if ((bucketLength[b] == BUCKET_SIZE) == (pass == 0)) {
                            meta.putFloat(bucketCentre[3 * b]).putFloat(bucketCentre[3 * b + 1]).putFloat(bucketCentre[3 * b + 2]);
                        }
                    }
                }
                meta.flip();
                ChannelIo.writeFully(ch, meta);
                long[] start = new long[buckets];
                for (int b = 1; b < buckets; b++) {
                    start[b] = start[b - 1] + bucketLength[b - 1];
                }
                for (int pass = 0; pass < 2; pass++) {
                    for (int b = 0; b < buckets; b++) {
                        if ((bucketLength[b] == BUCKET_SIZE) == (pass == 0)) {
                            writeRows(ch, start[b], bucketLength[b], b, bps, lo, hi);
                        }
                    }
                }
            } else {
                for (long r = 0; r < count; r += 4096) {
                    writeRows(ch, r, (int) Math.min(4096, count - r), -1, bps, lo, hi);
                }
            }
        } finally {
            spill.close();
        }
        finished = true;
    }

    /** Encodes rows {@code first..first+n-1} (all of bucket {@code bucket}, or -1 at level 0) to the channel. */
    private void writeRows(FileChannel ch, long first, int n, int bucket, int bps, float lo, float hi) throws IOException {
        byte[] in = new byte[n * rowBytes.length];
        int got = 0;
        while (got < in.length) {
            int r = spill.read(first * rowBytes.length + got, in, got, in.length - got);
            if (r <= 0) {
                throw new IllegalStateException("spill buffer ended early");
            }
            got += r;
        }
        byte[] out = new byte[n * bps];
        int perKept = SplatLayout.restPerChannel(degree);
        double factor = SCALE_RANGE / (BLOCK_SIZE / 2.0);
        for (int r = 0; r < n; r++) {
            int i = r * rowBytes.length;
            int d = r * bps;
            float[] q = new float[4];
            double norm = 0;
            for (int c = 0; c < 4; c++) {
                q[c] = (float) F32.get(in, i + 4 * (SplatLayout.ROT_W + c));
                norm += q[c] * q[c];
            }
            norm = Math.sqrt(norm);
            for (int c = 0; c < 4; c++) {
                q[c] = norm > 0 ? (float) (q[c] / norm) : (c == 0 ? 1f : 0f);
            }
            if (level == 0) {
                for (int c = 0; c < 3; c++) {
                    F32.set(out, d + 4 * c, (float) F32.get(in, i + 4 * c));
                    F32.set(out, d + 12 + 4 * c, (float) Math.exp((float) F32.get(in, i + 4 * (SplatLayout.SCALE_0 + c))));
                }
                for (int c = 0; c < 4; c++) {
                    F32.set(out, d + 24 + 4 * c, q[c]);
                }
            } else {
                for (int c = 0; c < 3; c++) {
                    double off = (float) F32.get(in, i + 4 * c) - bucketCentre[3 * bucket + c];
                    long v = Math.round(off * factor) + SCALE_RANGE; // NaN rounds to 0: the centre
                    U16.set(out, d + 2 * c, (short) Math.max(0, Math.min(2 * SCALE_RANGE + 1, v)));
                    U16.set(out, d + 6 + 2 * c, Float.floatToFloat16(
                            (float) Math.exp((float) F32.get(in, i + 4 * (SplatLayout.SCALE_0 + c)))));
                }
                for (int c = 0; c < 4; c++) {
                    U16.set(out, d + 12 + 2 * c, Float.floatToFloat16(q[c]));
                }
            }
            int col = d + (level == 0 ? 40 : 20);
            for (int c = 0; c < 3; c++) {
                out[col + c] = toByte((0.5 + SH_C0 * (float) F32.get(in, i + 4 * (SplatLayout.DC_0 + c))) * 255);
            }
            out[col + 3] = toByte(255 / (1 + Math.exp(-(float) F32.get(in, i + 4 * SplatLayout.OPACITY))));
            int sh = col + 4;
            int k = 0;
            for (int l = 1; l <= degree; l++) {
                int width = 2 * l + 1;
                for (int c = 0; c < 3; c++) {
                    for (int j = 0; j < width; j++, k++) {
                        float v = (float) F32.get(in, i + 4 * (SplatLayout.REST + c * perKept + (l * l - 1) + j));
                        switch (level) {
                            case 0 -> F32.set(out, sh + 4 * k, v);
                            case 1 -> U16.set(out, sh + 2 * k, Float.floatToFloat16(v));
                            default -> out[sh + k] = toByte((Math.max(lo, Math.min(hi, v)) - lo) / (hi - lo) * 255);
                        }
                    }
                }
            }
        }
        ChannelIo.writeFully(ch, ByteBuffer.wrap(out));
    }

    private static byte toByte(double v) {
        double r = Math.rint(v);
        return (byte) (r > 0 ? Math.min(255, (int) r) : 0); // NaN -> 0
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        spill.close();
        if (!finished) {
            Files.deleteIfExists(path);
        }
    }
}
