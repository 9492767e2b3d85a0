package dev.vsa.core.format.khr;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.ChannelIo;
import dev.vsa.core.format.PlyRows;
import dev.vsa.core.format.util.AxisFlips;
import dev.vsa.core.format.util.BackgroundTask;
import dev.vsa.core.format.util.Parallel;
import dev.vsa.core.format.util.SpillBuffer;
import dev.vsa.core.gltf.resource.Glb;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.format.util.BatchChecks;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * Writes one {@code KHR_gaussian_splatting} point primitive to a GLB, or to a .gltf with its buffer in a .bin file
 * beside it, following the extension text at KhronosGroup/glTF commit 77b44be7: POSITION, ROTATION (x y z w),
 * SCALE (linear), OPACITY (linear) and SH_DEGREE_l_COEF_n as float accessors, one tightly packed buffer view each,
 * plus the optional COLOR_0 fallback (u8 normalized: {@code clamp(0.5 + C0 * dc)} decoded from sRGB to linear as
 * the text asks, alpha = opacity). The primitive's extension object is
 * {@code {kernel: ellipse, colorSpace: srgb_rec709_display, sortingMethod: cameraDistance, projection: perspective}}.
 * Rows are turned from the PLY's RDF frame into glTF's by a half turn about z (see {@link KhrReader}); the layout's
 * extras are not stored.
 *
 * <p>When the splat count is known ahead (a GLB with an expected count), the file is laid out at once: a JSON
 * chunk region reserved for the largest JSON that count can give (padded with spaces at {@link #finish()}), then
 * each accessor's batch slices written straight to their final place. Otherwise each accessor's bytes go to a
 * {@link SpillBuffer} (heap up to a share of {@link #MEMORY}, then a temporary file beside the output) and are
 * copied into the file at {@link #finish()}, once the count is known.
 *
 * <p>The caller's thread encodes a batch (checks, frame turn, exp and sigmoid, the SH transposed) into one of two
 * scratch sets while a worker writes the previous batch from the other, from native memory: a conversion's three
 * threads (read-ahead, encode, write) keep two cores busy, and only one thread writes the file. Rows that come as
 * {@link PlyRows} (a conversion from a PLY or SOG with no transform) skip all that: blocks of rows are read, encoded and
 * written to their final places on all cores, each block by one thread.
 */
final class KhrWriter implements SplatWriter, PlyRows.Sink {
    /** Heap shared by all accessors' spill buffers before they move to temporary files. */
    static final long MEMORY = 64L << 20;
    private static final float C0 = 0.28209479177387814f;
    private static final JsonFactory JSON = new JsonFactory();
    /** Rows a thread takes at a time from {@link PlyRows}: its rows and encoded values stay in its core's cache. */
    static final int BLOCK = 4096;

    private final Path path;
    private final SplatLayout layout;
    private final boolean glb;
    private final List<Attr> attrs = new ArrayList<>();
    private final float[] shSigns = AxisFlips.shSigns(-1f, -1f, 1f);
    private final float[] min = {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY};
    private final float[] max = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
    /** Where a batch row's values sit. */
    private final Columns batchColumns;
    private final BackgroundTask encoder = new BackgroundTask("vsa-glb-write", "writing glTF accessors");
    /** Two batches' encoded values: this thread fills one while the worker writes the other. */
    private final Scratch[] scratch = new Scratch[2];
    private int next;
    /** The worker's native (or, when spilling, heap) buffer. */
    private Out out;
    private long count;
    private boolean finished;
    /** Direct layout (null when the count is not known ahead): the output, open from the start. */
    private FileChannel direct;
    private final long expected;
    private int jsonReserve;
    private long[] viewOffsets;
    private long directBin;

    /**
     * Where one splat's values sit in a row of {@code stride} floats: position x y z, scales, rotation w x y z,
     * opacity, f_dc and f_rest (channel-major) each from its offset; in a batch or in {@link PlyRows}' PLY order. The
     * fixed values (and in PLY order the normals, zero) fill the ranges {@code [0, fixedEnd)} and {@code [fixed2,
     * fixed2End)}.
     */
    private record Columns(int stride, int pos, int scale, int rot, int opacity, int dc, int rest, int fixedEnd,
                           int fixed2, int fixed2End) {
        static Columns of(SplatLayout l) {
            return new Columns(l.stride(), SplatLayout.X, SplatLayout.SCALE_0, SplatLayout.ROT_W, SplatLayout.OPACITY,
                    SplatLayout.DC_0, SplatLayout.REST, SplatLayout.REST, 0, 0);
        }

        static Columns ply(SplatLayout l) {
            int rest = l.restCount();
            return new Columns(17 + rest, 0, 10 + rest, 13 + rest, 9 + rest, 6, 9, 9, 9 + rest, 17 + rest);
        }

        /** The offset of the batch column {@code c} (below {@link SplatLayout#extrasOffset()}). */
        int of(int c) {
            return c <= SplatLayout.Z ? pos + c
                    : c <= SplatLayout.SCALE_2 ? scale + c - SplatLayout.SCALE_0
                    : c <= SplatLayout.ROT_Z ? rot + c - SplatLayout.ROT_W
                    : c == SplatLayout.OPACITY ? opacity
                    : c <= SplatLayout.DC_2 ? dc + c - SplatLayout.DC_0
                    : rest + c - SplatLayout.REST;
        }
    }

    /** One accessor: semantic, glTF type, component type, element bytes, and its spilled data. */
    private record Attr(String semantic, String type, int componentType, int bytes, boolean normalized, SpillBuffer data) {
    }

    /**
     * @param expected the splats that will be written, or -1 when not known; with a GLB a known count lets the
     *                 accessors go straight to their final offsets (more splats than that then fail)
     * @throws MalformedInputException {@code LIMIT_EXCEEDED} if the expected count cannot fit a GLB
     * @throws IOException if the output cannot be created
     */
    KhrWriter(Path path, SplatLayout layout, boolean glb, long expected) throws IOException {
        this.path = path;
        this.layout = layout;
        this.glb = glb;
        this.expected = glb ? expected : -1;
        this.batchColumns = Columns.of(layout);
        Path dir = path.toAbsolutePath().getParent();
        int n = 6 + layout.restPerChannel();
        long share = this.expected > 0 ? -1 : MEMORY / n;
        String p = KhrReader.PREFIX;
        attrs.add(new Attr("POSITION", "VEC3", 5126, 12, false, spill(share, dir)));
        attrs.add(new Attr("COLOR_0", "VEC4", 5121, 4, true, spill(share, dir)));
        attrs.add(new Attr(p + "ROTATION", "VEC4", 5126, 16, false, spill(share, dir)));
        attrs.add(new Attr(p + "SCALE", "VEC3", 5126, 12, false, spill(share, dir)));
        attrs.add(new Attr(p + "OPACITY", "SCALAR", 5126, 4, false, spill(share, dir)));
        attrs.add(new Attr(p + "SH_DEGREE_0_COEF_0", "VEC3", 5126, 12, false, spill(share, dir)));
        for (int l = 1; l <= layout.shDegree(); l++) {
            for (int c = 0; c < 2 * l + 1; c++) {
                attrs.add(new Attr(p + "SH_DEGREE_" + l + "_COEF_" + c, "VEC3", 5126, 12, false, spill(share, dir)));
            }
        }
        if (this.expected > 0) {
            openDirect();
        }
    }

    private static SpillBuffer spill(long share, Path dir) {
        return share < 0 ? null : new SpillBuffer(share, dir);
    }

    /** Reserves the JSON chunk for the expected count and opens the output for positional writes. */
    private void openDirect() throws IOException {
        viewOffsets = new long[attrs.size()];
        long bin = 0;
        for (int a = 0; a < attrs.size(); a++) {
            viewOffsets[a] = bin;
            bin += (expected * attrs.get(a).bytes + 3) & ~3L;
        }
        directBin = bin;
        // Bounds of the widest printed floats stand in for POSITION's min/max; the slack covers any difference.
        float[] wide = {-Float.MIN_NORMAL, -Float.MIN_NORMAL, -Float.MIN_NORMAL};
        byte[] json = json(bin, null, expected, viewOffsets, wide, wide, false);
        jsonReserve = (json.length + 64 + 3) & ~3;
        checkGlbSize(12 + 8 + jsonReserve + 8 + bin, ": write .gltf instead");
        direct = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public void write(SplatBatch batch) throws IOException {
        BatchChecks.checkWrite(finished, layout, batch);
        int n = batch.size();
        if (n == 0) {
            return;
        }
        if (expected >= 0 && count + n > expected) {
            throw new IllegalArgumentException("more splats written (" + (count + n) + ") than the expected count "
                    + expected);
        }
        // This thread encodes the batch into one scratch while the worker writes the previous batch from the
        // other: all file writes come from the worker (two threads writing one file contend for its inode lock).
        Scratch s = scratch[next];
        if (s == null || s.rows < n) {
            s = scratch[next] = new Scratch(n, layout.restPerChannel());
        }
        float[] rows = batch.array();
        long first = count;
        encode(rows, batchColumns, n, s, min, max, first);
        encoder.await();
        Scratch done = s;
        encoder.submit(() -> {
            if (out == null || out.bytes.capacity() < 16 * n) {
                out = new Out(16 * n, direct != null);
            }
            store(done, n, first, out);
            return null;
        });
        next ^= 1;
        count += n;
    }

    /** One batch's accessor values as floats (COLOR_0 as bytes); SH coefficient k's {@code 3n} floats at {@code 3nk}. */
    private static final class Scratch {
        final int rows;
        final float[] pos, rot, scl, opa, dc, sh;
        final byte[] col;

        Scratch(int n, int per) {
            rows = n;
            pos = new float[3 * n];
            rot = new float[4 * n];
            scl = new float[3 * n];
            opa = new float[n];
            dc = new float[3 * n];
            col = new byte[4 * n];
            sh = new float[per * 3 * n];
        }
    }

    /**
     * Writes the rows of {@code rows} in blocks of {@link #BLOCK}, each read, encoded and written by one thread: on
     * all cores when the accessors have their final places (a GLB of a known count), else in order on this thread.
     */
    @Override
    public void writeAll(PlyRows rows, long rowCount, LongConsumer progress) throws IOException {
        if (finished) {
            throw new IllegalStateException("the writer is finished");
        }
        if (expected >= 0 && count + rowCount > expected) {
            throw new IllegalArgumentException("more splats written (" + (count + rowCount)
                    + ") than the expected count " + expected);
        }
        encoder.await(); // batches written before
        Columns at = Columns.ply(layout);
        long base = count;
        long blocks = (rowCount + BLOCK - 1) / BLOCK;
        ConcurrentLinkedQueue<Block> free = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Block> encoded = new ConcurrentLinkedQueue<>();
        ReentrantLock writing = new ReentrantLock();
        List<Block> all = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong done = new AtomicLong();
        Thread caller = Thread.currentThread(); // told progress: the listener need not be thread-safe
        Parallel.Task<Object> task = b -> {
            Block w = free.poll();
            if (w == null) {
                all.add(w = new Block((int) Math.min(BLOCK, rowCount), at.stride(), layout.restPerChannel(),
                        direct != null));
            }
            long first = b * (long) BLOCK;
            int n = (int) Math.min(BLOCK, rowCount - first);
            rows.readPly(first, n, w.rows);
            encode(w.rows, at, n, w.scratch, w.min, w.max, base + first);
            w.n = n;
            w.first = base + first;
            encoded.add(w);
            drain(encoded, writing, free);
            long sum = done.addAndGet(n);
            if (Thread.currentThread() == caller) {
                progress.accept(sum);
            }
            return null;
        };
        if (direct != null && blocks > 1) {
            Parallel.map((int) blocks, task, Object[]::new); // (a GLB's 4 GiB hold far fewer than 2^31 blocks)
        } else {
            for (long b = 0; b < blocks; b++) { // the spill buffers take each accessor's rows in order
                task.run((int) b);
            }
        }
        drain(encoded, writing, free); // (each task drains; this only makes sure)
        for (Block w : all) { // (the order of min and max does not change them: no NaN gets here)
            for (int c = 0; c < 3; c++) {
                min[c] = Math.min(min[c], w.min[c]);
                max[c] = Math.max(max[c], w.max[c]);
            }
        }
        count += rowCount;
    }

    /**
     * Writes the encoded blocks waiting in {@code encoded}, one thread at a time: two threads' pwrite()s into one file
     * spin on its inode lock (~25 ms of CPU in a 1M-splat run). A thread that finds another writing leaves its block
     * to it and goes on reading and encoding, unless two blocks already wait.
     */
    private void drain(ConcurrentLinkedQueue<Block> encoded, ReentrantLock writing, ConcurrentLinkedQueue<Block> free)
            throws IOException {
        while (!encoded.isEmpty()) {
            if (!writing.tryLock()) {
                if (encoded.size() <= 2) {
                    return; // the writer looks at the queue again after it lets go of the lock
                }
                writing.lock();
            }
            try {
                Block b;
                while ((b = encoded.poll()) != null) {
                    store(b.scratch, b.n, b.first, b.out);
                    free.offer(b);
                }
            } finally {
                writing.unlock();
            }
        }
    }

    /** A block: PLY rows, their encoded values, the bytes on their way out and the bounds seen. */
    private static final class Block {
        final float[] rows;
        /** The rows encoded, and the first one's index in the output. */
        int n;
        long first;
        final Scratch scratch;
        final Out out;
        final float[] min = {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY};
        final float[] max = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};

        Block(int capacity, int stride, int per, boolean direct) {
            rows = new float[capacity * stride];
            scratch = new Scratch(capacity, per);
            out = new Out(16 * capacity, direct);
        }
    }

    /**
     * Encodes {@code n} rows at {@code at} into {@code s}, widening the bounds {@code min} and {@code max}.
     *
     * @throws MalformedInputException for the first row with a non-finite value or a zero-length rotation
     */
    private void encode(float[] rows, Columns at, int n, Scratch s, float[] min, float[] max, long first) {
        if (!(encodeBase(rows, at, n, s, min, max) & encodeSh(rows, at, n, layout.restPerChannel(), s))) {
            throwInvalid(rows, at, n, first);
        }
    }

    /** Writes every accessor's slice of {@code n} encoded rows through {@code out}. */
    private void store(Scratch s, int n, long first, Out out) throws IOException {
        emit(0, s.pos, 0, 3 * n, first, out);
        out.bytes.put(0, s.col, 0, 4 * n);
        store(1, 4 * n, first, out);
        emit(2, s.rot, 0, 4 * n, first, out);
        emit(3, s.scl, 0, 3 * n, first, out);
        emit(4, s.opa, 0, n, first, out);
        emit(5, s.dc, 0, 3 * n, first, out);
        for (int k = 0; k < layout.restPerChannel(); k++) {
            emit(6 + k, s.sh, k * 3 * n, 3 * n, first, out);
        }
    }

    /** Bytes on their way to the file (native memory, so the channel copies nothing) or to a spill buffer. */
    private static final class Out {
        final ByteBuffer bytes;
        final FloatBuffer floats;
        final byte[] heap;

        Out(int capacity, boolean direct) {
            heap = direct ? null : new byte[capacity];
            bytes = (direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.wrap(heap)).order(ByteOrder.LITTLE_ENDIAN);
            floats = bytes.asFloatBuffer();
        }
    }

    /** Writes {@code len} floats of {@code src} from {@code off} as rows {@code first ..} of accessor {@code a}. */
    private void emit(int a, float[] src, int off, int len, long first, Out out) throws IOException {
        out.floats.put(0, src, off, len);
        store(a, len * 4, first, out);
    }

    /** The first {@code len} bytes of {@code out}: to the accessor's final place, or to its spill buffer. */
    private void store(int a, int len, long first, Out out) throws IOException {
        Attr at = attrs.get(a);
        if (direct == null) {
            at.data.write(out.heap, 0, len);
            return;
        }
        out.bytes.clear().limit(len);
        ChannelIo.writeFully(direct, out.bytes, 20L + jsonReserve + 8 + viewOffsets[a] + first * at.bytes);
    }

    /**
     * Encodes the six non-SH accessors of {@code n} rows into the scratch arrays; false if a value among the
     * fixed columns is not finite (checked without a branch per value) or a rotation has zero length.
     */
    private static boolean encodeBase(float[] rows, Columns at, int n, Scratch to, float[] min, float[] max) {
        float[] pos = to.pos, rot = to.rot, scl = to.scl, opa = to.opa, dc = to.dc;
        byte[] col = to.col;
        float minX = min[0], minY = min[1], minZ = min[2], maxX = max[0], maxY = max[1], maxZ = max[2];
        int stride = at.stride(), p = at.pos(), q = at.rot(), sc = at.scale(), op = at.opacity(), d0 = at.dc();
        int end = at.fixedEnd(), from2 = at.fixed2(), end2 = at.fixed2End();
        int bad = 0;
        for (int i = 0, o = 0; i < n; i++, o += stride) {
            // Checked in loops (not value by value): their back-edges also get this method compiled after a few
            // thousand rows instead of the interpreter's 60,000 loop turns, which took ~0.1 s of a 1M-splat run.
            for (int c = 0; c < end; c++) {
                bad |= finiteBits(rows[o + c]);
            }
            for (int c = from2; c < end2; c++) {
                bad |= finiteBits(rows[o + c]);
            }
            // PLY (RDF) -> glTF (LUF): half turn about z.
            float x = -rows[o + p], y = -rows[o + p + 1], z = rows[o + p + 2];
            pos[3 * i] = x;
            pos[3 * i + 1] = y;
            pos[3 * i + 2] = z;
            minX = lower(minX, x);
            minY = lower(minY, y);
            minZ = lower(minZ, z);
            maxX = higher(maxX, x);
            maxY = higher(maxY, y);
            maxZ = higher(maxZ, z);
            float qw = rows[o + q], qx = rows[o + q + 1], qy = rows[o + q + 2], qz = rows[o + q + 3];
            double unit = Similarity.unitScale(qw, qx, qy, qz);
            if (unit == 0) {
                bad = -1; // zero length (or not finite): no direction to store
            } else if (unit != 1) {
                qw = (float) (qw * unit);
                qx = (float) (qx * unit);
                qy = (float) (qy * unit);
                qz = (float) (qz * unit);
            }
            // k (x) q = (w', x', y', z') = (-qz, -qy, qx, qw), stored x y z w.
            rot[4 * i] = -qy;
            rot[4 * i + 1] = qx;
            rot[4 * i + 2] = qw;
            rot[4 * i + 3] = -qz;
            for (int c = 0; c < 3; c++) {
                scl[3 * i + c] = (float) Math.exp(rows[o + sc + c]);
                float d = rows[o + d0 + c];
                dc[3 * i + c] = d;
                col[4 * i + c] = (byte) srgbToLinearU8(0.5f + C0 * d);
            }
            float alpha = (float) (1 / (1 + Math.exp(-rows[o + op])));
            opa[i] = alpha;
            col[4 * i + 3] = (byte) toU8(alpha);
        }
        min[0] = minX;
        min[1] = minY;
        min[2] = minZ;
        max[0] = maxX;
        max[1] = maxY;
        max[2] = maxZ;
        return bad >= 0;
    }

    /**
     * {@link Math#min(float, float)} for numbers (-0 below 0; NaN never gets written), small enough for the C1
     * compiler to inline: it calls Math.min, ~2% of a 1M-splat conversion's samples.
     */
    static float lower(float a, float b) {
        return a < b || a == b && Float.floatToRawIntBits(a) < 0 ? a : b;
    }

    /** {@link Math#max(float, float)} likewise. */
    static float higher(float a, float b) {
        return a > b || a == b && Float.floatToRawIntBits(a) >= 0 ? a : b;
    }

    /**
     * Encodes the SH accessors of {@code n} rows into {@code to.sh}, reading each row once; false if one of the
     * values is not finite.
     */
    private boolean encodeSh(float[] rows, Columns at, int n, int per, Scratch to) {
        float[] sh = to.sh;
        float[] signs = shSigns;
        int n3 = 3 * n;
        int stride = at.stride();
        int bad = 0;
        for (int i = 0, o = at.rest(); i < n; i++, o += stride) {
            for (int k = 0, d = 3 * i; k < per; k++, d += n3) {
                float s = signs[k];
                float r = rows[o + k], g = rows[o + per + k], b = rows[o + 2 * per + k];
                bad |= finiteBits(r) | finiteBits(g) | finiteBits(b);
                sh[d] = s * r;
                sh[d + 1] = s * g;
                sh[d + 2] = s * b;
            }
        }
        return bad >= 0;
    }

    /**
     * Throws for the first row of {@code n} holding a non-finite value among the fixed and SH columns (the first
     * such column named) or a zero-length rotation.
     */
    private void throwInvalid(float[] rows, Columns at, int n, long first) {
        int used = layout.extrasOffset();
        for (int i = 0, o = 0; i < n; i++, o += at.stride()) {
            for (int c = 0; c < used; c++) {
                float v = rows[o + at.of(c)];
                if (!Float.isFinite(v)) {
                    throw new MalformedInputException(ErrorCode.NON_FINITE_VALUES, "splat " + (first + i),
                            layout.columnName(c) + " is " + v + "; glTF stores finite values only");
                }
            }
            boolean zero = true;
            for (int c = SplatLayout.ROT_W; c <= SplatLayout.ROT_Z; c++) {
                zero &= rows[o + at.of(c)] == 0;
            }
            if (zero) {
                throw new MalformedInputException(ErrorCode.NON_FINITE_VALUES, "splat " + (first + i),
                        "zero-length rotation quaternion");
            }
        }
        throw new IllegalStateException("an invalid row was flagged but not found");
    }

    /** The base extension's properties as vsa writes them (the SPZ-compressed writer too). */
    static void writeSplatProperties(JsonGenerator g) throws IOException {
        g.writeStringField("kernel", "ellipse");
        g.writeStringField("colorSpace", "srgb_rec709_display");
        g.writeStringField("sortingMethod", "cameraDistance");
        g.writeStringField("projection", "perspective");
    }

    /**
     * Refuses a GLB of more than 4 GiB, which its 32-bit length fields cannot describe.
     *
     * @param advice what the message adds (": write .gltf instead"), or ""
     * @throws MalformedInputException {@code LIMIT_EXCEEDED}
     */
    static void checkGlbSize(long total, String advice) {
        if (total > 0xFFFFFFFFL) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, null,
                    "a GLB cannot exceed 4 GiB (" + total + " bytes needed)" + advice);
        }
    }

    /**
     * Negative exactly when {@code v} is NaN or infinite (an exponent of all ones carries into the sign bit): OR-ed
     * over many values, one sign test replaces a branch per value.
     */
    static int finiteBits(float v) {
        return (Float.floatToRawIntBits(v) & 0x7F800000) + 0x00800000;
    }

    private static int toU8(float v) {
        return Math.round(Math.min(1f, Math.max(0f, v)) * 255f);
    }

    static double srgbToLinear(double c) {
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    /** Linear bytes of sRGB values k / 65535: one lookup per channel instead of a pow. */
    private static final byte[] SRGB_TO_LINEAR = new byte[65536];

    static {
        // The table steps up once per output byte: found by bisection (256 x 16 pows instead of 65,536, which took
        // ~30 ms of each conversion's start in the interpreter). Equal to the direct fill (see the test).
        int from = 0;
        for (int v = 0; v < 256; v++) {
            int lo = from, hi = SRGB_TO_LINEAR.length; // first k whose byte is above v, in [from, 65536]
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (linearByte(mid) > v) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            java.util.Arrays.fill(SRGB_TO_LINEAR, from, lo, (byte) v);
            from = lo;
        }
    }

    /** round(255 * linear(k / 65535)): the table's entry k. */
    static int linearByte(int k) {
        return (int) Math.round(srgbToLinear(k / 65535.0) * 255);
    }

    /** round(255 * linear(clamp(c))) for an sRGB-encoded value c (to within one step at rounding boundaries). */
    static int srgbToLinearU8(float c) {
        int k = (int) (c * 65535f + 0.5f);
        return SRGB_TO_LINEAR[k < 0 ? 0 : Math.min(k, 65535)] & 0xff;
    }

    private byte[] json(long binLength, String binUri, boolean pretty) throws IOException {
        long[] offsets = new long[attrs.size()];
        long offset = 0;
        for (int a = 0; a < attrs.size(); a++) {
            offsets[a] = offset;
            offset += (count * attrs.get(a).bytes + 3) & ~3L;
        }
        return json(binLength, binUri, count, offsets, min, max, pretty);
    }

    /** The glTF JSON, streamed with jackson-core (no data-binding classes to load: they cost ~0.15 s at start). */
    private byte[] json(long binLength, String binUri, long count, long[] offsets, float[] min, float[] max,
                        boolean pretty) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(4096);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            g.writeStartObject();
            g.writeFieldName("asset");
            g.writeStartObject();
            g.writeStringField("version", "2.0");
            g.writeStringField("generator", "vsa");
            g.writeEndObject();
            g.writeFieldName("extensionsUsed");
            g.writeStartArray();
            g.writeString(KhrReader.EXT);
            g.writeEndArray();
            g.writeNumberField("scene", 0);
            g.writeFieldName("scenes");
            g.writeStartArray();
            g.writeStartObject();
            g.writeFieldName("nodes");
            g.writeStartArray();
            if (count > 0) {
                g.writeNumber(0);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            if (count > 0) {
                g.writeFieldName("nodes");
                g.writeStartArray();
                g.writeStartObject();
                g.writeNumberField("mesh", 0);
                g.writeEndObject();
                g.writeEndArray();
                g.writeFieldName("buffers");
                g.writeStartArray();
                g.writeStartObject();
                if (binUri != null) {
                    g.writeStringField("uri", binUri);
                }
                g.writeNumberField("byteLength", binLength);
                g.writeEndObject();
                g.writeEndArray();
                g.writeFieldName("bufferViews");
                g.writeStartArray();
                for (int a = 0; a < attrs.size(); a++) {
                    g.writeStartObject();
                    g.writeNumberField("buffer", 0);
                    g.writeNumberField("byteOffset", offsets[a]);
                    g.writeNumberField("byteLength", count * attrs.get(a).bytes);
                    g.writeNumberField("target", 34962);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeFieldName("accessors");
                g.writeStartArray();
                for (int a = 0; a < attrs.size(); a++) {
                    Attr at = attrs.get(a);
                    g.writeStartObject();
                    g.writeNumberField("bufferView", a);
                    g.writeNumberField("componentType", at.componentType);
                    g.writeNumberField("count", count);
                    g.writeStringField("type", at.type);
                    if (at.normalized) {
                        g.writeBooleanField("normalized", true);
                    }
                    if (a == 0) {
                        g.writeFieldName("min");
                        g.writeStartArray();
                        for (float v : min) {
                            g.writeNumber(v);
                        }
                        g.writeEndArray();
                        g.writeFieldName("max");
                        g.writeStartArray();
                        for (float v : max) {
                            g.writeNumber(v);
                        }
                        g.writeEndArray();
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeFieldName("meshes");
                g.writeStartArray();
                g.writeStartObject();
                g.writeFieldName("primitives");
                g.writeStartArray();
                g.writeStartObject();
                g.writeFieldName("attributes");
                g.writeStartObject();
                for (int a = 0; a < attrs.size(); a++) {
                    g.writeNumberField(attrs.get(a).semantic, a);
                }
                g.writeEndObject();
                g.writeNumberField("mode", 0);
                g.writeFieldName("extensions");
                g.writeStartObject();
                g.writeFieldName(KhrReader.EXT);
                g.writeStartObject();
                writeSplatProperties(g);
                g.writeEndObject();
                g.writeEndObject();
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        return bytes.toByteArray();
    }

    @Override
    public void finish() throws IOException {
        if (finished) {
            throw new IllegalStateException("finish called twice");
        }
        finished = true;
        Path binPath = null;
        boolean ok = false;
        try {
            encoder.await();
            encoder.close();
            if (direct != null) {
                finishDirect();
                ok = true;
                return;
            }
            long bin = 0;
            for (Attr a : attrs) {
                bin += (count * a.bytes + 3) & ~3L;
            }
            if (count == 0) {
                bin = 0;
            }
            if (glb) {
                byte[] json = pad(json(bin, null, false));
                long total = 12 + 8 + json.length + (bin > 0 ? 8 + bin : 0);
                checkGlbSize(total, ": write .gltf instead");
                try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer h = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
                    h.putInt(Glb.MAGIC).putInt(2).putInt((int) total).putInt(json.length).putInt(Glb.CHUNK_JSON).flip();
                    writeFully(out, h);
                    writeFully(out, ByteBuffer.wrap(json));
                    if (bin > 0) {
                        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                        b.putInt((int) bin).putInt(Glb.CHUNK_BIN).flip();
                        writeFully(out, b);
                        writeBin(out);
                    }
                }
            } else {
                String name = path.getFileName().toString();
                String stem = name.toLowerCase(java.util.Locale.ROOT).endsWith(".gltf") ? name.substring(0, name.length() - 5) : name;
                String binName = stem + ".bin";
                if (count > 0) {
                    binPath = path.resolveSibling(binName);
                    try (FileChannel out = FileChannel.open(binPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)) {
                        writeBin(out);
                    }
                }
                String uri = new URI(null, null, binName, null).getRawPath();
                Files.write(path, json(bin, uri, true));
            }
            ok = true;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        } finally {
            closeAll();
            if (!ok) {
                Files.deleteIfExists(path);
                if (binPath != null) {
                    Files.deleteIfExists(binPath);
                }
            }
        }
    }

    /**
     * Writes the header, the JSON (padded to the reserved region) and the BIN chunk header around the accessors
     * already in place. With fewer splats than expected the views keep their reserved offsets (unused bytes
     * between them), and with none the file is only the JSON.
     */
    private void finishDirect() throws IOException {
        long bin = count == 0 ? 0 : directBin;
        byte[] text = count == 0 ? json(0, null, false) : json(bin, null, count, viewOffsets, min, max, false);
        if (text.length > jsonReserve) {
            throw new IllegalStateException("glTF JSON of " + text.length + " bytes exceeds its reserved " + jsonReserve);
        }
        byte[] json = java.util.Arrays.copyOf(text, jsonReserve);
        java.util.Arrays.fill(json, text.length, jsonReserve, (byte) ' ');
        long total = 12 + 8 + jsonReserve + (bin > 0 ? 8 + bin : 0);
        ByteBuffer h = ByteBuffer.allocate(20 + jsonReserve + 8).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(Glb.MAGIC).putInt(2).putInt((int) total).putInt(jsonReserve).putInt(Glb.CHUNK_JSON);
        h.put(json);
        if (bin > 0) {
            h.putInt((int) bin).putInt(Glb.CHUNK_BIN);
        }
        h.flip();
        long pos = 0;
        while (h.hasRemaining()) {
            pos += direct.write(h, pos);
        }
        if (direct.size() > total) {
            direct.truncate(total);
        } else if (direct.size() < total) {
            // The last view's padding (or a short last view) was never written: the chunk must reach its length.
            direct.write(ByteBuffer.allocate(1), total - 1);
        }
        direct.close();
        direct = null;
    }

    private void writeBin(FileChannel out) throws IOException {
        for (Attr a : attrs) {
            a.data.transferTo(out);
            int padding = (int) (-a.data.size() & 3);
            if (padding > 0) {
                writeFully(out, ByteBuffer.allocate(padding));
            }
        }
    }

    private static byte[] pad(byte[] json) {
        int n = (json.length + 3) & ~3;
        byte[] out = java.util.Arrays.copyOf(json, n);
        for (int i = json.length; i < n; i++) {
            out[i] = ' ';
        }
        return out;
    }

    private static void writeFully(FileChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    private void closeAll() throws IOException {
        encoder.close(); // lets a running task end before its buffers are freed
        if (direct != null) {
            direct.close();
            direct = null;
        }
        for (Attr a : attrs) {
            if (a.data != null) {
                a.data.close();
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (!finished) {
            finished = true;
            closeAll();
            Files.deleteIfExists(path);
        }
    }

    @Override
    public String toString() {
        return "KhrWriter[" + path + "]";
    }
}
