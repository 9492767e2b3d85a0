package dev.vsa.core.format.sog;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.util.PendingFiles;
import dev.vsa.core.lod.LodOptions;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Writes a streamed SOG ({@code lod-meta.json} plus SOG units {@code <level>_<n>/meta.json} beside it), the layout
 * splat-transform 3.10.2 writes and the PlayCanvas engine streams. See {@code docs/sog.md} for the simplification.
 *
 * <p>Memory: rows go to a temporary file beside the output as they arrive; the heap holds 20 bytes a splat
 * (position, importance, tree order) and one SOG unit at a time. On a small heap the units (and so the leaves,
 * which a unit holds whole) are made smaller than asked so that one fits.
 *
 * <p>Steps of {@link #finish()}:
 * <ol>
 *   <li>A k-d tree over all positions, split at the median of the longest axis of the node's centroid box (ties by
 *       row), down to buckets of at most 256 splats. A node is a leaf (a streaming chunk) once it holds at most
 *       {@code chunkCount} splats and is either no wider than {@code chunkExtent} or holds at most
 *       {@code chunkMin} splats (splat-transform's rule).</li>
 *   <li>Levels: given per input ({@link #level}), or made from level 0: level {@code k} keeps {@code keep^k} of
 *       the splats of each bucket, the most important ones ({@code sigmoid(opacity) * exp(scale_0+scale_1+scale_2)},
 *       opacity times volume), the count error-diffused along the tree so the total is exact; the kept splats of
 *       a bucket are enlarged by {@code f = cbrt(W_all / W_kept)} (W summing the importance), capped by
 *       {@code cbrt(n_all / n_kept)}, so the bucket keeps its opacity-weighted volume.</li>
 *   <li>Per level, leaf by leaf in tree order, each leaf's rows Morton-ordered and appended to the level's current
 *       unit; a unit closes once it holds more than {@code fileCount} splats.</li>
 *   <li>lod-meta.json (version 1) with each leaf's bound: the union of its splats' 1-sigma ellipsoid boxes over
 *       all levels.</li>
 * </ol>
 * Deterministic: no randomness, and the SOG units are themselves deterministic.
 */
final class LodWriter implements SplatWriter {
    /** Splats a bucket of the tree holds at most (splat-transform's k-d tree leaf). */
    static final int BUCKET = 256;
    private static final int IO_FLOATS = 1 << 16;
    private static final long SEGMENT_BYTES = 1L << 30;

    private final Path path;
    private final SplatLayout inLayout;
    private final SplatLayout layout;
    private final LodOptions options;
    private final int stride;
    private final int inRest;
    private final int outRest;
    private FileChannel spill;
    private final ByteBuffer io = ByteBuffer.allocateDirect(IO_FLOATS * 4).order(ByteOrder.nativeOrder());
    private final FloatBuffer ioFloats = io.asFloatBuffer();
    private float[] pos = new float[3 * 4096];
    private float[] weight = new float[4096];
    private int n;
    private boolean tagged;
    private int tag;
    /** Tag runs: row where each starts, and its tag. */
    private final List<int[]> runs = new ArrayList<>();
    private boolean done;
    private final List<Path> created = new ArrayList<>();
    // written by finish
    private FloatBuffer[] segments;
    private long rowsPerSegment;
    private Result result;

    /** What was written: splats per level, units, leaves. */
    record Result(long[] counts, int files, int leaves) {
    }

    /**
     * @param path    the lod-meta.json to write (units go into folders beside it)
     * @param layout  the layout of the batches {@link #write} takes (extras are not stored)
     * @param degree  the SH degree stored (at least the layout's; lower inputs are padded with zeros)
     */
    LodWriter(Path path, SplatLayout layout, int degree, LodOptions options) {
        Webp.require();
        this.path = path;
        this.inLayout = layout;
        this.layout = SplatLayout.of(Math.max(degree, layout.shDegree()));
        this.options = options;
        this.stride = this.layout.stride();
        this.inRest = layout.restPerChannel();
        this.outRest = this.layout.restPerChannel();
    }

    /** The stored layout (no extras). */
    SplatLayout layout() {
        return layout;
    }

    /**
     * Tags the rows written from now on with a level (splat-transform's {@code --tag-lod}); levels are then these
     * tags in ascending order, and none are generated.
     *
     * @throws IllegalArgumentException if {@code level} is negative
     */
    void level(int level) {
        if (level < 0 || level > 1_000_000) {
            throw new IllegalArgumentException("a level tag must be 0..1000000, was " + level);
        }
        tagged = true;
        tag = level;
    }

    @Override
    public void write(SplatBatch batch) throws IOException {
        if (!batch.layout().equals(inLayout)) {
            throw new IllegalArgumentException("batch layout " + batch.layout() + " is not the writer's " + inLayout);
        }
        append(batch);
    }

    /** Appends rows of any layout whose SH degree is at most the stored one. */
    void append(SplatBatch batch) throws IOException {
        if (done) {
            throw new IllegalStateException("the writer is finished or closed");
        }
        if (batch.layout().shDegree() > layout.shDegree()) {
            throw new IllegalArgumentException("SH degree " + batch.layout().shDegree() + " is above the stored "
                    + layout.shDegree());
        }
        if (spill == null) {
            Path dir = path.toAbsolutePath().getParent();
            Path file = Files.createTempFile(dir, ".vsa-lod-", ".tmp");
            spill = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
        }
        int rows = batch.size();
        if ((long) n + rows > Integer.MAX_VALUE - 16) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, "splat " + n, "a LOD set is limited to "
                    + (Integer.MAX_VALUE - 16) + " splats");
        }
        if (runs.isEmpty() || runs.get(runs.size() - 1)[1] != tag) {
            runs.add(new int[]{n, tag});
        }
        grow(n + rows);
        float[] a = batch.array();
        int in = batch.stride();
        int cIn = batch.layout().restPerChannel();
        for (int r = 0; r < rows; r++) {
            int o = r * in;
            int i = n + r;
            for (int k = 0; k < 3; k++) {
                float v = a[o + k];
                if (!Float.isFinite(v)) {
                    throw new MalformedInputException(ErrorCode.NON_FINITE_VALUES, "splat " + i,
                            "positions must be finite to be written to a LOD set (use the filter-nan transform)");
                }
                pos[3 * i + k] = v;
            }
            double alpha = 1 / (1 + Math.exp(-a[o + SplatLayout.OPACITY]));
            double w = alpha * Math.exp((double) a[o + SplatLayout.SCALE_0] + a[o + SplatLayout.SCALE_1]
                    + a[o + SplatLayout.SCALE_2]);
            weight[i] = Double.isFinite(w) ? (float) w : 0f;
            if (ioFloats.remaining() < stride) {
                flush();
            }
            ioFloats.put(a, o, SplatLayout.REST);
            for (int ch = 0; ch < 3; ch++) {
                ioFloats.put(a, o + SplatLayout.REST + ch * cIn, cIn);
                for (int j = cIn; j < outRest; j++) {
                    ioFloats.put(0f);
                }
            }
        }
        n += rows;
    }

    private void flush() throws IOException {
        io.clear().limit(ioFloats.position() * 4);
        while (io.hasRemaining()) {
            spill.write(io);
        }
        ioFloats.clear();
    }

    private void grow(int need) {
        if (need <= weight.length) {
            return;
        }
        int cap = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(need, weight.length + (long) (weight.length >> 1)));
        long extra = 16L * (cap - weight.length);
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (extra + 4L * cap > free) {
            System.gc(); // the old arrays and spent batches may still count as used
            free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        }
        if (extra + 4L * cap > free) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, "splat " + n, "a LOD set keeps 20 bytes a "
                    + "splat on the heap: " + cap + " splats need " + (20L * cap >> 20) + " MiB, the heap has "
                    + (free >> 20) + " MiB free (raise -Xmx)");
        }
        pos = Arrays.copyOf(pos, 3 * cap);
        weight = Arrays.copyOf(weight, cap);
    }

    Result result() {
        return result;
    }

    @Override
    public void finish() throws IOException {
        if (done) {
            throw new IllegalStateException("the writer is finished or closed");
        }
        done = true;
        if (n == 0) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, null, "no splats to write to a LOD set");
        }
        flush();
        map();
        Tree tree = new Tree();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        int budget = unitBudget();
        int chunkCount = Math.min(options.chunkCount(), budget);
        int unitCount = Math.min(options.unitCount(), budget);
        Node root = build(perm, 0, n, chunkCount, tree);
        int levels;
        int[] rowLevel = null;
        float[][] logFactor = null;
        int[] bucketKeep = null;
        if (tagged) {
            TreeSet<Integer> tags = new TreeSet<>();
            for (int[] r : runs) {
                tags.add(r[1]);
            }
            List<Integer> order = new ArrayList<>(tags);
            levels = order.size();
            rowLevel = new int[runs.size()];
            for (int i = 0; i < runs.size(); i++) {
                rowLevel[i] = order.indexOf(runs.get(i)[1]);
            }
        } else {
            levels = generatedLevels();
            int buckets = tree.bucketCount;
            bucketKeep = new int[levels * buckets];
            logFactor = new float[levels][buckets];
            select(perm, tree, levels, bucketKeep, logFactor);
        }
        weight = null;
        long[] counts = new long[levels];
        List<String> filenames = new ArrayList<>();
        Path dir = path.toAbsolutePath().getParent();
        int leaves = tree.leaves.size();
        // per leaf and level: file, offset, count
        int[][] refFile = new int[leaves][levels];
        long[][] refOffset = new long[leaves][levels];
        long[][] refCount = new long[leaves][levels];
        double[][] bounds = new double[leaves][];
        SplatBatch batch = new SplatBatch(layout, 4096);
        for (int level = 0; level < levels; level++) {
            SogWriter unit = null;
            long unitRows = 0;
            int unitIndex = 0;
            int fileIndex = -1;
            for (int li = 0; li < leaves; li++) {
                Node leaf = tree.leaves.get(li);
                int[][] picked = tagged ? new int[][]{taggedRows(perm, leaf, level, rowLevel), null}
                        : keptRows(perm, leaf, level, tree, bucketKeep);
                int[] rows = picked[0];
                if (rows.length == 0) {
                    continue;
                }
                mortonSort(rows, picked[1]);
                if (unit == null) {
                    String name = level + "_" + unitIndex + "/meta.json";
                    Path unitDir = dir.resolve(level + "_" + unitIndex);
                    if (!Files.isDirectory(unitDir)) {
                        Files.createDirectories(unitDir);
                        created.add(unitDir);
                    }
                    unit = new SogWriter(unitDir.resolve("meta.json"), layout, -1, true);
                    filenames.add(name);
                    fileIndex = filenames.size() - 1;
                    unitRows = 0;
                }
                refFile[li][level] = fileIndex;
                refOffset[li][level] = unitRows;
                refCount[li][level] = rows.length;
                bounds[li] = writeRows(unit, rows, picked[1], batch, tagged || level == 0 ? null : logFactor[level],
                        bounds[li]);
                unitRows += rows.length;
                counts[level] += rows.length;
                if (unitRows > unitCount) {
                    unit.finish();
                    unit.close();
                    unit = null;
                    unitIndex++;
                }
            }
            if (unit != null) {
                unit.finish();
                unit.close();
            }
        }
        writeMeta(root, tree, levels, counts, filenames, refFile, refOffset, refCount, bounds, chunkCount);
        created.clear();
        result = new Result(counts, filenames.size(), leaves);
    }

    /** The largest unit that fits the heap now: the SOG writer holds about 4 * (24 + rest) bytes a splat. */
    private int unitBudget() {
        System.gc(); // once a set: the free heap is measured for the units' size, not garbage
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory()) - 4L * n;
        long perRow = 4L * (24 + layout.restCount()) * 3;
        return (int) Math.max(4096, Math.min(Integer.MAX_VALUE / 2, free / perRow));
    }

    private int generatedLevels() {
        int l = options.levels();
        if (l == 0) {
            l = 1;
            double c = n;
            while (c > LodOptions.AUTO_COARSEST && l < LodOptions.MAX_GENERATED) {
                c *= options.keep();
                l++;
            }
            l = Math.min(l, 8);
        }
        // never a level with no splat
        while (l > 1 && n * Math.pow(options.keep(), l - 1) < 1) {
            l--;
        }
        return l;
    }

    private void map() throws IOException {
        long rowBytes = 4L * stride;
        rowsPerSegment = Math.max(1, SEGMENT_BYTES / rowBytes);
        int nseg = (int) ((n + rowsPerSegment - 1) / rowsPerSegment);
        segments = new FloatBuffer[nseg];
        for (int s = 0; s < nseg; s++) {
            long first = s * rowsPerSegment;
            long len = Math.min(rowsPerSegment, n - first) * rowBytes;
            segments[s] = spill.map(FileChannel.MapMode.READ_ONLY, first * rowBytes, len)
                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
    }

    // ---- tree ----

    /** A tree node: a leaf (index into {@link Tree#leaves}) over perm[lo, hi), or two children. */
    static final class Node {
        final int lo, hi;
        Node left, right;
        int leaf = -1;

        Node(int lo, int hi) {
            this.lo = lo;
            this.hi = hi;
        }
    }

    /** Leaves and buckets, in tree order. */
    static final class Tree {
        final List<Node> leaves = new ArrayList<>();
        int[] bucketLo = new int[64];
        int[] bucketHi = new int[64];
        int bucketCount;
        /** First bucket of each leaf; the leaf's buckets run to the next leaf's first. */
        final List<Integer> leafBucket = new ArrayList<>();

        void bucket(int lo, int hi) {
            if (bucketCount == bucketLo.length) {
                bucketLo = Arrays.copyOf(bucketLo, bucketCount * 2);
                bucketHi = Arrays.copyOf(bucketHi, bucketCount * 2);
            }
            bucketLo[bucketCount] = lo;
            bucketHi[bucketCount] = hi;
            bucketCount++;
        }

        int leafBucketEnd(int leaf) {
            return leaf + 1 < leafBucket.size() ? leafBucket.get(leaf + 1) : bucketCount;
        }
    }

    private Node build(int[] perm, int lo, int hi, int chunkCount, Tree tree) {
        Node node = new Node(lo, hi);
        int count = hi - lo;
        double largest = largestExtent(perm, lo, hi);
        boolean split = count > BUCKET && (count > chunkCount
                || (largest > options.chunkExtent() && count > options.chunkMin()));
        if (split) {
            int mid = lo + (count >>> 1);
            select(perm, lo, hi, mid, axis(perm, lo, hi));
            node.left = build(perm, lo, mid, chunkCount, tree);
            node.right = build(perm, mid, hi, chunkCount, tree);
        } else {
            node.leaf = tree.leaves.size();
            tree.leaves.add(node);
            tree.leafBucket.add(tree.bucketCount);
            buckets(perm, lo, hi, tree);
        }
        return node;
    }

    private void buckets(int[] perm, int lo, int hi, Tree tree) {
        if (hi - lo <= BUCKET) {
            tree.bucket(lo, hi);
            return;
        }
        int mid = lo + ((hi - lo) >>> 1);
        select(perm, lo, hi, mid, axis(perm, lo, hi));
        buckets(perm, lo, mid, tree);
        buckets(perm, mid, hi, tree);
    }

    private double largestExtent(int[] perm, int lo, int hi) {
        double[] e = extents(perm, lo, hi);
        return Math.max(e[0], Math.max(e[1], e[2]));
    }

    private int axis(int[] perm, int lo, int hi) {
        double[] e = extents(perm, lo, hi);
        return e[0] >= e[1] && e[0] >= e[2] ? 0 : e[1] >= e[2] ? 1 : 2;
    }

    private double[] extents(int[] perm, int lo, int hi) {
        float[] mn = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE};
        float[] mx = {-Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
        for (int i = lo; i < hi; i++) {
            int p = 3 * perm[i];
            for (int k = 0; k < 3; k++) {
                float v = pos[p + k];
                if (v < mn[k]) {
                    mn[k] = v;
                }
                if (v > mx[k]) {
                    mx[k] = v;
                }
            }
        }
        return new double[]{(double) mx[0] - mn[0], (double) mx[1] - mn[1], (double) mx[2] - mn[2]};
    }

    /** Whether row a sorts before row b on {@code axis} (ties by row). */
    private boolean before(int a, int b, int axis) {
        float va = pos[3 * a + axis];
        float vb = pos[3 * b + axis];
        return va < vb || (va == vb && a < b);
    }

    /** Quickselect: perm[lo, hi) arranged so that perm[k] is in its sorted place, smaller before, larger after. */
    private void select(int[] perm, int lo, int hi, int k, int axis) {
        int l = lo;
        int r = hi - 1;
        while (r > l) {
            int m = l + ((r - l) >>> 1);
            // median of three as pivot, moved to r
            if (before(perm[m], perm[l], axis)) {
                swap(perm, m, l);
            }
            if (before(perm[r], perm[l], axis)) {
                swap(perm, r, l);
            }
            if (before(perm[m], perm[r], axis)) {
                swap(perm, m, r);
            }
            int pivot = perm[r];
            int store = l;
            for (int i = l; i < r; i++) {
                if (before(perm[i], pivot, axis)) {
                    swap(perm, i, store++);
                }
            }
            swap(perm, store, r);
            if (store == k) {
                return;
            }
            if (store < k) {
                l = store + 1;
            } else {
                r = store - 1;
            }
        }
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    // ---- levels ----

    /**
     * For each bucket: its rows sorted by importance (descending, ties by row), then per level the count kept
     * (error-diffused along the tree) and the enlargement of the kept splats.
     */
    private void select(int[] perm, Tree tree, int levels, int[] keep, float[][] logFactor) {
        double[] carry = new double[levels];
        Integer[] box = new Integer[BUCKET];
        for (int b = 0; b < tree.bucketCount; b++) {
            int lo = tree.bucketLo[b];
            int hi = tree.bucketHi[b];
            int m = hi - lo;
            for (int i = 0; i < m; i++) {
                box[i] = perm[lo + i];
            }
            Arrays.sort(box, 0, m, (x, y) -> {
                int c = Float.compare(weight[y], weight[x]);
                return c != 0 ? c : Integer.compare(x, y);
            });
            double all = 0;
            for (int i = 0; i < m; i++) {
                perm[lo + i] = box[i];
                all += weight[box[i]];
            }
            for (int level = 0; level < levels; level++) {
                int kept;
                if (level == 0) {
                    kept = m;
                } else {
                    double before = carry[level];
                    carry[level] += m * Math.pow(options.keep(), level);
                    kept = (int) Math.max(0, Math.min(m, Math.round(carry[level]) - Math.round(before)));
                }
                keep[level * tree.bucketCount + b] = kept;
                if (level > 0 && kept > 0) {
                    double w = 0;
                    for (int i = 0; i < kept; i++) {
                        w += weight[perm[lo + i]];
                    }
                    double ratio = w > 0 ? all / w : 1;
                    double f = Math.min(Math.cbrt(ratio), Math.cbrt((double) m / kept));
                    logFactor[level][b] = (float) Math.log(Math.max(1, f));
                }
            }
        }
    }

    /** The rows a leaf keeps at a level, and the bucket of each. */
    private int[][] keptRows(int[] perm, Node leaf, int level, Tree tree, int[] keep) {
        int first = tree.leafBucket.get(leaf.leaf);
        int end = tree.leafBucketEnd(leaf.leaf);
        int total = 0;
        for (int b = first; b < end; b++) {
            total += keep[level * tree.bucketCount + b];
        }
        int[] rows = new int[total];
        int[] buckets = new int[total];
        int at = 0;
        for (int b = first; b < end; b++) {
            int k = keep[level * tree.bucketCount + b];
            for (int i = 0; i < k; i++) {
                buckets[at] = b;
                rows[at++] = perm[tree.bucketLo[b] + i];
            }
        }
        return new int[][]{rows, buckets};
    }

    private int[] taggedRows(int[] perm, Node leaf, int level, int[] runLevel) {
        int total = 0;
        for (int i = leaf.lo; i < leaf.hi; i++) {
            if (runLevel[run(perm[i])] == level) {
                total++;
            }
        }
        int[] rows = new int[total];
        int at = 0;
        for (int i = leaf.lo; i < leaf.hi; i++) {
            if (runLevel[run(perm[i])] == level) {
                rows[at++] = perm[i];
            }
        }
        return rows;
    }

    private int run(int row) {
        int lo = 0;
        int hi = runs.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (runs.get(mid)[0] <= row) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /**
     * Sorts rows by the Morton code of their position (10 bits an axis over their box), ties by row; {@code aux}
     * (if not null) is permuted alike.
     */
    private void mortonSort(int[] rows, int[] aux) {
        float[] mn = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE};
        float[] mx = {-Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
        for (int r : rows) {
            for (int k = 0; k < 3; k++) {
                mn[k] = Math.min(mn[k], pos[3 * r + k]);
                mx[k] = Math.max(mx[k], pos[3 * r + k]);
            }
        }
        long[] keys = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            long code = 0;
            for (int k = 0; k < 3; k++) {
                double range = (double) mx[k] - mn[k];
                long q = range > 0 ? (long) Math.min(1023, Math.max(0, (pos[3 * rows[i] + k] - mn[k]) / range * 1024)) : 0;
                code |= spread10(q) << k;
            }
            keys[i] = code << 31 | rows[i];
        }
        Arrays.sort(keys);
        if (aux != null) {
            // rows are distinct: map each sorted row back to its old slot for aux
            long[] slot = new long[rows.length];
            for (int i = 0; i < rows.length; i++) {
                slot[i] = (long) rows[i] << 32 | i;
            }
            Arrays.sort(slot);
            int[] old = aux.clone();
            for (int i = 0; i < rows.length; i++) {
                int row = (int) (keys[i] & 0x7FFF_FFFFL);
                int j = Arrays.binarySearch(slot, (long) row << 32);
                j = j < 0 ? -j - 1 : j;
                aux[i] = old[(int) slot[j]];
            }
        }
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (int) (keys[i] & 0x7FFF_FFFFL);
        }
    }

    private static long spread10(long v) {
        long out = 0;
        for (int b = 0; b < 10; b++) {
            out |= ((v >>> b) & 1) << (3 * b);
        }
        return out;
    }

    /**
     * Gathers rows from the spill into the unit (enlarged by the bucket's factor on generated levels) and returns
     * the union of {@code bound} with the rows' ellipsoid boxes.
     */
    private double[] writeRows(SogWriter unit, int[] rows, int[] buckets, SplatBatch batch, float[] logFactor,
                               double[] bound) throws IOException {
        double[] b = bound != null ? bound : new double[]{Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        float[] a = batch.array();
        int at = 0;
        while (at < rows.length) {
            int m = Math.min(batch.capacity(), rows.length - at);
            for (int r = 0; r < m; r++) {
                int row = rows[at + r];
                FloatBuffer seg = segments[(int) (row / rowsPerSegment)];
                seg.get((int) ((row % rowsPerSegment) * stride), a, r * stride, stride);
                int o = r * stride;
                if (logFactor != null) {
                    float f = logFactor[buckets[at + r]];
                    a[o + SplatLayout.SCALE_0] += f;
                    a[o + SplatLayout.SCALE_1] += f;
                    a[o + SplatLayout.SCALE_2] += f;
                }
                box(a, o, b);
            }
            batch.setSize(m);
            unit.write(batch);
            at += m;
        }
        return b;
    }

    /** Adds the box of a splat's 1-sigma ellipsoid (half extents exp(scale), rotated) to {@code b}. */
    static void box(float[] a, int o, double[] b) {
        double w = a[o + SplatLayout.ROT_W], x = a[o + SplatLayout.ROT_X], y = a[o + SplatLayout.ROT_Y],
                z = a[o + SplatLayout.ROT_Z];
        double len = Math.sqrt(w * w + x * x + y * y + z * z);
        if (!(len > 0) || !Double.isFinite(len)) {
            w = 1;
            x = y = z = 0;
            len = 1;
        }
        w /= len;
        x /= len;
        y /= len;
        z /= len;
        double[][] r = {
                {1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)},
                {2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)},
                {2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)}};
        double s0 = Math.exp(a[o + SplatLayout.SCALE_0]);
        double s1 = Math.exp(a[o + SplatLayout.SCALE_1]);
        double s2 = Math.exp(a[o + SplatLayout.SCALE_2]);
        for (int k = 0; k < 3; k++) {
            double h = Math.abs(r[k][0]) * s0 + Math.abs(r[k][1]) * s1 + Math.abs(r[k][2]) * s2;
            double c = a[o + k];
            if (Double.isFinite(h)) {
                b[k] = Math.min(b[k], c - h);
                b[3 + k] = Math.max(b[3 + k], c + h);
            }
        }
    }

    // ---- lod-meta.json ----

    private void writeMeta(Node root, Tree tree, int levels, long[] counts, List<String> filenames, int[][] refFile,
                           long[][] refOffset, long[][] refCount, double[][] bounds, int chunkCount)
            throws IOException {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        try (OutputStream out = Files.newOutputStream(path);
             JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("version", 1);
            g.writeObjectFieldStart("asset");
            g.writeStringField("generator", "vsa");
            g.writeNumberField("chunkGaussians", chunkCount);
            g.writeFieldName("chunkExtent");
            number(g, options.chunkExtent());
            g.writeNumberField("chunkMinGaussians", options.chunkMin());
            g.writeEndObject();
            g.writeNumberField("count", total);
            g.writeArrayFieldStart("counts");
            for (long c : counts) {
                g.writeNumber(c);
            }
            g.writeEndArray();
            g.writeNumberField("lodLevels", levels);
            g.writeArrayFieldStart("filenames");
            for (String f : filenames) {
                g.writeString(f);
            }
            g.writeEndArray();
            g.writeFieldName("tree");
            node(g, root, levels, refFile, refOffset, refCount, bounds);
            g.writeEndObject();
        }
    }

    /** Writes a node and returns its bound. */
    private double[] node(JsonGenerator g, Node node, int levels, int[][] refFile, long[][] refOffset,
                          long[][] refCount, double[][] bounds) throws IOException {
        g.writeStartObject();
        if (node.leaf >= 0) {
            double[] b = bounds[node.leaf];
            bound(g, b);
            g.writeObjectFieldStart("lods");
            for (int l = 0; l < levels; l++) {
                if (refCount[node.leaf][l] > 0) {
                    g.writeObjectFieldStart(Integer.toString(l));
                    g.writeNumberField("file", refFile[node.leaf][l]);
                    g.writeNumberField("offset", refOffset[node.leaf][l]);
                    g.writeNumberField("count", refCount[node.leaf][l]);
                    g.writeEndObject();
                }
            }
            g.writeEndObject();
            g.writeEndObject();
            return b;
        }
        double[] b = union(subtree(node.left, bounds), subtree(node.right, bounds));
        bound(g, b);
        g.writeArrayFieldStart("children");
        node(g, node.left, levels, refFile, refOffset, refCount, bounds);
        node(g, node.right, levels, refFile, refOffset, refCount, bounds);
        g.writeEndArray();
        g.writeEndObject();
        return b;
    }

    private static double[] subtree(Node node, double[][] bounds) {
        if (node.leaf >= 0) {
            return bounds[node.leaf];
        }
        return union(subtree(node.left, bounds), subtree(node.right, bounds));
    }

    private static double[] union(double[] a, double[] b) {
        double[] out = new double[6];
        for (int k = 0; k < 3; k++) {
            out[k] = Math.min(a[k], b[k]);
            out[3 + k] = Math.max(a[3 + k], b[3 + k]);
        }
        return out;
    }

    private static void bound(JsonGenerator g, double[] b) throws IOException {
        g.writeObjectFieldStart("bound");
        g.writeArrayFieldStart("min");
        for (int k = 0; k < 3; k++) {
            number(g, b[k]);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("max");
        for (int k = 3; k < 6; k++) {
            number(g, b[k]);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** A float's worth of digits (7 significant), as splat-transform writes them. */
    private static void number(JsonGenerator g, double v) throws IOException {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            g.writeNumber((long) v);
        } else {
            g.writeNumber(new BigDecimal(v).round(new MathContext(7)).stripTrailingZeros());
        }
    }

    @Override
    public void close() throws IOException {
        boolean failed = !done || result == null;
        done = true;
        try {
            if (spill != null) {
                spill.close();
            }
        } finally {
            segments = null;
            pos = null;
            weight = null;
            if (failed) {
                for (Path p : created) {
                    PendingFiles.deleteTree(p);
                }
                Files.deleteIfExists(path);
            }
        }
    }
}
