package dev.vsa.core.format.ply;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.ChannelIo;
import dev.vsa.core.format.util.BatchChecks;
import dev.vsa.core.format.util.MortonKeys;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.stream.IntStream;

/**
 * Writes a PlayCanvas compressed PLY (layout in {@link CompressedPly}). The file's sections (chunks, then vertices,
 * then SH) all need the count in the header, and a chunk's quantization needs its bounds, so rows are held until
 * {@link #finish()} as compact records ({@link CompressedPlyRows}: 41 bytes plus one a SH coefficient, in heap up to
 * a budget, then in a temporary file beside the output); {@code finish} orders them, then packs the 256-splat
 * chunks on all cores, each range of chunks written straight to its place in the file.
 *
 * <p>Rows are written in the order given, or with {@code mortonOrder} along a Morton curve of their positions (as
 * splat-transform does, and as {@code Splats.convert} asks), for tight chunk bounds; the curve and its ties are
 * those of the {@code sort} transform, so both ways give the same bytes.
 */
final class CompressedPlyWriter implements SplatWriter {
    private static final int CHUNK = CompressedPly.CHUNK;
    /** Chunks a parallel task packs (and writes as one range). */
    private static final int TASK_CHUNKS = 64;
    /** Rows of a write from which the encoding is split between two threads. */
    private static final int PARALLEL_ROWS = 4096;

    private final Path path;
    private final SplatLayout layout;
    private final int restCount;
    private final boolean mortonOrder;
    private final CompressedPlyRows rows;
    private final int blockShift;
    /** Min x y z, max x y z of the finite positions so far (the Morton curve's box). */
    private final double[] bounds = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
    private boolean finished;
    private boolean closed;

    CompressedPlyWriter(Path path, SplatLayout layout, boolean mortonOrder) throws IOException {
        this(path, layout, mortonOrder, defaultBudget(), CompressedPlyRows.BLOCK_SHIFT);
    }

    /** With the row store's budget and block size given (tests force the spill file with small ones). */
    CompressedPlyWriter(Path path, SplatLayout layout, boolean mortonOrder, long budget, int blockShift)
            throws IOException {
        this.path = path;
        this.layout = layout;
        this.restCount = layout.restCount();
        this.mortonOrder = mortonOrder;
        // Fail early if the output cannot be created.
        Files.newByteChannel(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE).close();
        this.blockShift = blockShift;
        this.rows = new CompressedPlyRows(restCount, budget, blockShift, path.toAbsolutePath().getParent(),
                path.getFileName().toString());
    }

    /** A quarter of the heap free now: the records, the sort keys (8 bytes a splat) and the packing fit beside. */
    private static long defaultBudget() {
        Runtime rt = Runtime.getRuntime();
        return (rt.maxMemory() - (rt.totalMemory() - rt.freeMemory())) / 4;
    }

    /** Whether the rows went to a temporary file (for tests). */
    boolean spilled() {
        return rows.spilled();
    }

    /** Refuses more splats than one file's chunk table (or the in-memory order) can address. */
    private void checkCount(long count) throws MalformedInputException {
        long chunks = (count + CHUNK - 1) / CHUNK;
        if (chunks * 18 > Integer.MAX_VALUE - 8 || mortonOrder && count > Integer.MAX_VALUE - 8) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, null,
                    count + " splats are too many for one compressed PLY");
        }
    }

    @Override
    public void write(SplatBatch batch) throws IOException {
        BatchChecks.checkWrite(finished || closed, layout, batch);
        checkCount(rows.count() + batch.size()); // before the rows are kept (or spilled), not at finish
        int stride = layout.stride();
        float[] a = batch.array();
        int n = batch.size();
        int r = 0;
        while (r < n) {
            int m = Math.min(rows.room(), n - r);
            int at = rows.offset();
            if (m >= PARALLEL_ROWS) {
                // half on another core: the reader's thread leaves one partly idle
                int h = m / 2;
                int o = (r + h) * stride;
                double[] other = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
                    Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
                ForkJoinTask<?> half = ForkJoinPool.commonPool().submit(() -> encode(a, o, stride, m - h, at + h, other));
                encode(a, r * stride, stride, h, at, bounds);
                half.join();
                for (int k = 0; k < 3; k++) {
                    bounds[k] = Math.min(bounds[k], other[k]);
                    bounds[k + 3] = Math.max(bounds[k + 3], other[k + 3]);
                }
            } else {
                encode(a, r * stride, stride, m, at, bounds);
            }
            rows.advance(m);
            r += m;
        }
    }

    /**
     * Writes {@code m} rows from {@code a[o]} into the current block from row {@code at}; widens {@code bounds}
     * (min x y z, max x y z of the finite positions).
     */
    private void encode(float[] a, int o, int stride, int m, int at, double[] bounds) {
        float[] f = rows.floats();
        int[] rot = rows.rotations();
        byte[] b = rows.bytes();
        int rowBytes = 1 + restCount;
        double minX = bounds[0], minY = bounds[1], minZ = bounds[2], maxX = bounds[3], maxY = bounds[4], maxZ = bounds[5];
        for (int r = 0; r < m; r++, o += stride, at++) {
            float x = a[o + SplatLayout.X], y = a[o + SplatLayout.Y], z = a[o + SplatLayout.Z];
            if (Float.isFinite(x)) {
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
            }
            if (Float.isFinite(y)) {
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
            }
            if (Float.isFinite(z)) {
                minZ = Math.min(minZ, z);
                maxZ = Math.max(maxZ, z);
            }
            int fo = at * CompressedPlyRows.FLOATS;
            f[fo] = x;
            f[fo + 1] = y;
            f[fo + 2] = z;
            f[fo + 3] = a[o + SplatLayout.SCALE_0];
            f[fo + 4] = a[o + SplatLayout.SCALE_1];
            f[fo + 5] = a[o + SplatLayout.SCALE_2];
            f[fo + 6] = a[o + SplatLayout.DC_0];
            f[fo + 7] = a[o + SplatLayout.DC_1];
            f[fo + 8] = a[o + SplatLayout.DC_2];
            rot[at] = packRotation(a, o + SplatLayout.ROT_W);
            double alpha = 1 / (1 + Math.exp(-a[o + SplatLayout.OPACITY]));
            int bo = at * rowBytes;
            b[bo] = (byte) unorm(alpha, 8);
            shBytes(a, o + SplatLayout.REST, b, bo + 1, restCount);
        }
        bounds[0] = minX;
        bounds[1] = minY;
        bounds[2] = minZ;
        bounds[3] = maxX;
        bounds[4] = maxY;
        bounds[5] = maxZ;
    }

    /**
     * SH coefficients to bytes: {@code trunc((v / 8 + 0.5) * 256)} clamped to 0..255, as splat-transform does
     * ({@code v * 32 + 128} is the same double: scaling by powers of two commutes with rounding).
     */
    private static void shBytes(float[] a, int from, byte[] b, int to, int n) {
        for (int k = 0; k < n; k++) {
            int q = (int) (a[from + k] * 32.0 + 128.0);
            b[to + k] = (byte) Math.max(0, Math.min(255, q));
        }
    }

    @Override
    public void finish() throws IOException {
        if (finished || closed) {
            throw new IllegalStateException("the writer is finished or closed");
        }
        rows.seal();
        long count = rows.count();
        long chunks = (count + CHUNK - 1) / CHUNK;
        checkCount(count);
        MortonKeys morton = mortonOrder ? new MortonKeys(count, Arrays.copyOfRange(bounds, 0, 3),
                Arrays.copyOfRange(bounds, 3, 6)) : null;
        long[] order = mortonOrder ? mortonOrder(count, morton) : null;
        long idxMask = mortonOrder ? morton.indexMask() : 0;
        byte[] header = header(chunks, count);
        float[] bounds = new float[(int) chunks * 18];
        long vertexAt = header.length + chunks * 72;
        long shAt = vertexAt + count * 16;
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ChannelIo.writeFully(out, ByteBuffer.wrap(header), 0);
            int tasks = (int) ((chunks + TASK_CHUNKS - 1) / TASK_CHUNKS);
            ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(() -> new Scratch(restCount));
            try {
                IntStream.range(0, tasks).parallel().forEach(t -> {
                    try {
                        pack(t, count, order, idxMask, bounds, scratch.get(), out, vertexAt, shAt);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            ByteBuffer bb = ByteBuffer.allocate(72 * 4096).order(ByteOrder.LITTLE_ENDIAN);
            long at = header.length;
            for (int i = 0; i < bounds.length; ) {
                bb.clear();
                while (i < bounds.length && bb.hasRemaining()) {
                    bb.putFloat(bounds[i++]);
                }
                bb.flip();
                int len = bb.remaining();
                ChannelIo.writeFully(out, bb, at);
                at += len;
            }
        }
        finished = true;
        close();
    }

    /** Per-thread buffers of one task: a chunk's gathered values, the task's packed words and SH bytes. */
    private static final class Scratch {
        final float[] values = new float[CHUNK * CompressedPlyRows.FLOATS];
        final double[] colour = new double[CHUNK * 3];
        final double[] lo = new double[9];
        final double[] hi = new double[9];
        final int[] rot = new int[CHUNK];
        final byte[] alpha = new byte[CHUNK];
        final int[] words = new int[TASK_CHUNKS * CHUNK * 4];
        final ByteBuffer vertex = ByteBuffer.allocate(TASK_CHUNKS * CHUNK * 16).order(ByteOrder.LITTLE_ENDIAN);
        final byte[] sh;

        Scratch(int restCount) {
            sh = new byte[TASK_CHUNKS * CHUNK * restCount];
        }
    }

    /** Packs task {@code t}'s chunks into the scratch buffers and writes them at their places in {@code out}. */
    private void pack(int t, long count, long[] order, long idxMask, float[] bounds, Scratch s, FileChannel out,
                      long vertexAt, long shAt) throws IOException {
        long firstRow = (long) t * TASK_CHUNKS * CHUNK;
        long endRow = Math.min(count, firstRow + (long) TASK_CHUNKS * CHUNK);
        for (long c0 = firstRow; c0 < endRow; c0 += CHUNK) {
            int n = (int) Math.min(CHUNK, endRow - c0);
            int local = (int) (c0 - firstRow);
            gather(c0, n, order, idxMask, s, local * restCount);
            int b = (int) (c0 / CHUNK) * 18;
            chunkBounds(s, n, bounds, b);
            quantize(s, n, local * 4);
        }
        int n = (int) (endRow - firstRow);
        s.vertex.clear();
        s.vertex.asIntBuffer().put(s.words, 0, n * 4);
        s.vertex.limit(n * 16);
        ChannelIo.writeFully(out, s.vertex, vertexAt + firstRow * 16);
        if (restCount > 0) {
            ChannelIo.writeFully(out, ByteBuffer.wrap(s.sh, 0, n * restCount), shAt + firstRow * restCount);
        }
    }

    /** Copies the chunk of rows from position {@code c0} in output order into the scratch buffers. */
    private void gather(long c0, int n, long[] order, long idxMask, Scratch s, int sh) {
        for (int r = 0; r < n; r++) {
            long row = order == null ? c0 + r : order[(int) (c0 + r)] & idxMask;
            rows.gather(row, s.values, r * CompressedPlyRows.FLOATS, s.rot, s.alpha, r, s.sh, sh + r * restCount);
        }
        float[] v = s.values;
        double[] c = s.colour;
        for (int r = 0; r < n; r++) {
            int o = r * CompressedPlyRows.FLOATS + 6;
            c[r * 3] = 0.5 + CompressedPly.SH_C0 * v[o];
            c[r * 3 + 1] = 0.5 + CompressedPly.SH_C0 * v[o + 1];
            c[r * 3 + 2] = 0.5 + CompressedPly.SH_C0 * v[o + 2];
        }
    }

    /**
     * A chunk's bounds into {@code s.lo}/{@code s.hi} (as the floats stored, so the reader's lerp matches) and into
     * {@code bounds[b]} in file order: min xyz, max xyz, min scale, max scale, min rgb, max rgb. Positions skip
     * non-finite values (one would make the whole chunk's positions NaN), the others NaN.
     */
    private static void chunkBounds(Scratch s, int n, float[] bounds, int b) {
        double[] lo = s.lo;
        double[] hi = s.hi;
        float[] v = s.values;
        for (int k = 0; k < 6; k++) {
            double mn = Double.POSITIVE_INFINITY;
            double mx = Double.NEGATIVE_INFINITY;
            boolean position = k < 3;
            for (int r = 0, o = k; r < n; r++, o += CompressedPlyRows.FLOATS) {
                double x = v[o];
                if (position ? !Double.isFinite(x) : Double.isNaN(x)) {
                    continue;
                }
                if (x < mn) {
                    mn = x;
                }
                if (x > mx) {
                    mx = x;
                }
            }
            lo[k] = mn;
            hi[k] = mx;
        }
        double[] c = s.colour;
        for (int k = 0; k < 3; k++) {
            double mn = Double.POSITIVE_INFINITY;
            double mx = Double.NEGATIVE_INFINITY;
            for (int r = 0, o = k; r < n; r++, o += 3) {
                double x = c[o];
                if (Double.isNaN(x)) {
                    continue;
                }
                if (x < mn) {
                    mn = x;
                }
                if (x > mx) {
                    mx = x;
                }
            }
            lo[6 + k] = mn;
            hi[6 + k] = mx;
        }
        for (int k = 0; k < 9; k++) {
            if (lo[k] > hi[k]) { // every value skipped
                lo[k] = 0;
                hi[k] = 0;
            }
            if (k >= 3 && k < 6) { // scale bounds clamped: some files hold infinite log-scales
                lo[k] = Math.max(-20, Math.min(20, lo[k]));
                hi[k] = Math.max(-20, Math.min(20, hi[k]));
            }
            int at = b + k / 3 * 6 + k % 3;
            bounds[at] = (float) lo[k];
            bounds[at + 3] = (float) hi[k];
            lo[k] = bounds[at];
            hi[k] = bounds[at + 3];
        }
    }

    /** Packs a chunk's words (position, rotation, scale, colour) into {@code s.words[w]}. */
    private static void quantize(Scratch s, int n, int w) {
        double[] lo = s.lo;
        double[] hi = s.hi;
        float[] v = s.values;
        double[] c = s.colour;
        int[] words = s.words;
        for (int r = 0; r < n; r++, w += 4) {
            int o = r * CompressedPlyRows.FLOATS;
            words[w] = pack111011(norm(v[o], lo[0], hi[0]), norm(v[o + 1], lo[1], hi[1]), norm(v[o + 2], lo[2], hi[2]));
            words[w + 1] = s.rot[r];
            words[w + 2] = pack111011(norm(v[o + 3], lo[3], hi[3]), norm(v[o + 4], lo[4], hi[4]),
                    norm(v[o + 5], lo[5], hi[5]));
            words[w + 3] = unorm(norm(c[r * 3], lo[6], hi[6]), 8) << 24
                    | unorm(norm(c[r * 3 + 1], lo[7], hi[7]), 8) << 16
                    | unorm(norm(c[r * 3 + 2], lo[8], hi[8]), 8) << 8
                    | s.alpha[r] & 0xFF;
        }
    }

    /** The rows' Morton keys ({@link MortonKeys}, over the bounding box of the finite positions), sorted. */
    private long[] mortonOrder(long count, MortonKeys morton) {
        int n = (int) count;
        long[] keys = new long[n];
        int blockRows = 1 << blockShift;
        ThreadLocal<float[]> scratch = ThreadLocal.withInitial(() -> new float[blockRows * CompressedPlyRows.FLOATS]);
        IntStream.range(0, rows.blockCount()).parallel().forEach(b -> {
            float[] f = rows.blockFloats(b, scratch.get());
            int first = b * blockRows;
            for (int i = first, end = Math.min(n, first + blockRows), o = 0; i < end; i++, o += 9) {
                keys[i] = morton.key(f[o], f[o + 1], f[o + 2], i);
            }
        });
        morton.sort(keys);
        return keys;
    }

    private byte[] header(long chunks, long count) {
        StringBuilder h = new StringBuilder("ply\nformat binary_little_endian 1.0\ncomment Generated by vsa\n");
        h.append("element chunk ").append(chunks).append('\n');
        for (String p : CompressedPly.CHUNK_PROPS) {
            h.append("property float ").append(p).append('\n');
        }
        h.append("element vertex ").append(count).append('\n');
        for (String p : CompressedPly.VERTEX_PROPS) {
            h.append("property uint ").append(p).append('\n');
        }
        if (restCount > 0) {
            h.append("element sh ").append(count).append('\n');
            for (int k = 0; k < restCount; k++) {
                h.append("property uchar f_rest_").append(k).append('\n');
            }
        }
        h.append("end_header\n");
        return h.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static double norm(double x, double min, double max) {
        if (x <= min) {
            return 0;
        }
        if (x >= max) {
            return 1;
        }
        return max - min < 0.00001 ? 0 : (x - min) / (max - min);
    }

    /** Round to nearest of {@code v * (2^bits - 1)}, clamped; NaN packs as 0. */
    private static int unorm(double v, int bits) {
        int t = (1 << bits) - 1;
        double q = v * t + 0.5;
        return q > 0 ? (int) Math.min(t, q) : 0; // (int) truncates: floor, for q > 0
    }

    private static int pack111011(double x, double y, double z) {
        return unorm(x, 11) << 21 | unorm(y, 10) << 11 | unorm(z, 11);
    }

    /** Smallest three: index of the largest |component| (w x y z order), then the others, sign made positive. */
    private static int packRotation(float[] a, int o) {
        double w = a[o], x = a[o + 1], y = a[o + 2], z = a[o + 3];
        double len = Math.sqrt(w * w + x * x + y * y + z * z);
        if (!(len > 0) || !Double.isFinite(len)) {
            w = 1;
            x = 0;
            y = 0;
            z = 0;
            len = 1;
        }
        w /= len;
        x /= len;
        y /= len;
        z /= len;
        int largest = 0;
        double big = Math.abs(w);
        if (Math.abs(x) > big) {
            largest = 1;
            big = Math.abs(x);
        }
        if (Math.abs(y) > big) {
            largest = 2;
            big = Math.abs(y);
        }
        if (Math.abs(z) > big) {
            largest = 3;
        }
        double sign = (largest == 0 ? w : largest == 1 ? x : largest == 2 ? y : z) < 0 ? -1 : 1;
        long result = largest;
        if (largest != 0) {
            result = result << 10 | unorm(sign * w * CompressedPly.ROT_NORM + 0.5, 10);
        }
        if (largest != 1) {
            result = result << 10 | unorm(sign * x * CompressedPly.ROT_NORM + 0.5, 10);
        }
        if (largest != 2) {
            result = result << 10 | unorm(sign * y * CompressedPly.ROT_NORM + 0.5, 10);
        }
        if (largest != 3) {
            result = result << 10 | unorm(sign * z * CompressedPly.ROT_NORM + 0.5, 10);
        }
        return (int) result;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            rows.close();
        } finally {
            if (!finished) {
                Files.deleteIfExists(path);
            }
        }
    }
}
