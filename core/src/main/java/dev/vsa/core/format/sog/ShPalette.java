package dev.vsa.core.format.sog;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * The SH palette of a SOG: k-means of the splats' higher SH coefficients (all bands, 3 channels, as one vector),
 * on every core, the same result for the same seed whatever the core count.
 *
 * <p>Flat k-means with 65,536 centroids over a million 45-dimensional points costs ~3e12 operations an iteration;
 * this is a k-means tree instead: a node holding more points than it may have centroids splits them into up to 64
 * groups (Lloyd's k-means trained on a seeded sample of the node, then every point assigned to its nearest group),
 * shares its centroid budget among the groups by size, and recurses; a node whose budget is at most {@value #LEAF}
 * runs Lloyd's k-means ({@code iterations} rounds, stopping early when no label changes) on its own points. Each
 * point is thus compared with ~64 + 64 + 32 x iterations centroids instead of 65,536 x iterations; the price is
 * that a point near a group border cannot pick a centroid of the neighbouring group. Nearest-centroid search
 * scores {@code |c|^2 - 2 x.c} over centroids stored dimension-major, a loop the JIT vectorises.
 */
final class ShPalette {
    /** Largest centroid budget solved by plain Lloyd's k-means. */
    static final int LEAF = 32;
    private static final int FANOUT = 64;
    private static final int SAMPLE_PER_GROUP = 64;
    private static final int PARALLEL_ASSIGN = 65_536;
    /** Levels of the tree past which a node is solved as a leaf (a budget of 2^31 needs 5 levels of FANOUT 64). */
    private static final int MAX_DEPTH = 8;
    /** Up to this many point-centroid pairs a round, the whole set runs plain k-means instead of the tree (better, slower). */
    static final long FLAT_LIMIT = 1L << 26;
    /** Point-centroid pairs above which one round's assignment is split across the pool. */
    private static final long PARALLEL_PAIRS = 1L << 21;

    /** Centroids, {@code count * dim} floats, row-major. */
    final float[] centroids;
    /** Number of centroids (at most the budget asked for; fewer when there are fewer points). */
    final int count;
    /** Each point's centroid. */
    final int[] labels;

    private ShPalette(float[] centroids, int count, int[] labels) {
        this.centroids = centroids;
        this.count = count;
        this.labels = labels;
    }

    /**
     * @param points     {@code n * dim} floats, row-major
     * @param k          centroid budget (1..65536)
     * @param iterations Lloyd rounds at the leaves (and for training the splits)
     */
    static ShPalette cluster(float[] points, int n, int dim, int k, int iterations, long seed, ForkJoinPool pool) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        Node root = new Node(all, Math.max(1, k), seed);
        root.root = true;
        pool.invoke(new Task(root, points, dim, iterations, pool));
        List<Node> leaves = new ArrayList<>();
        root.collect(leaves);
        int total = 0;
        for (Node leaf : leaves) {
            total += leaf.nc;
        }
        float[] cents = new float[total * dim];
        int[] labels = new int[n];
        int offset = 0;
        for (Node leaf : leaves) {
            System.arraycopy(leaf.cents, 0, cents, offset * dim, leaf.nc * dim);
            for (int i = 0; i < leaf.idx.length; i++) {
                labels[leaf.idx[i]] = offset + leaf.local[i];
            }
            offset += leaf.nc;
        }
        return new ShPalette(cents, total, labels);
    }

    private static final class Node {
        final int[] idx;
        final int k;
        final long seed;
        boolean root;
        int depth;
        float[] cents;
        int nc;
        int[] local;
        Node[] children;

        Node(int[] idx, int k, long seed) {
            this.idx = idx;
            this.k = k;
            this.seed = seed;
        }

        void collect(List<Node> out) {
            if (children == null) {
                out.add(this);
            } else {
                for (Node c : children) {
                    c.collect(out);
                }
            }
        }
    }

    private static final class Task extends RecursiveAction {
        private final Node node;
        private final float[] pts;
        private final int dim;
        private final int iterations;
        private final ForkJoinPool pool;

        Task(Node node, float[] pts, int dim, int iterations, ForkJoinPool pool) {
            this.node = node;
            this.pts = pts;
            this.dim = dim;
            this.iterations = iterations;
            this.pool = pool;
        }

        @Override
        protected void compute() {
            int n = node.idx.length;
            SplittableRandom rng = new SplittableRandom(node.seed);
            if (n <= node.k) {
                node.nc = n;
                node.cents = new float[n * dim];
                node.local = new int[n];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(pts, node.idx[i] * dim, node.cents, i * dim, dim);
                    node.local[i] = i;
                }
                return;
            }
            if (node.k <= LEAF || (node.root && (long) n * node.k <= FLAT_LIMIT)) {
                node.cents = lloyd(pts, dim, node.idx, node.k, iterations, rng);
                node.nc = node.k;
                node.local = new int[n];
                assignAll(pts, dim, node.idx, node.cents, node.k, node.local);
                return;
            }
            int groups = Math.min(FANOUT, (node.k + LEAF - 1) / LEAF);
            int sampleSize = Math.min(n, groups * SAMPLE_PER_GROUP);
            int[] sample = sample(node.idx, sampleSize, rng);
            float[] split = lloyd(pts, dim, sample, groups, iterations, rng);
            int[] group = new int[n];
            if (n >= PARALLEL_ASSIGN) {
                inParts(n, Math.max(1, pool.getParallelism() * 4),
                        (from, to) -> assign(pts, dim, node.idx, from, to, split, groups, group));
            } else {
                assign(pts, dim, node.idx, 0, n, split, groups, group);
            }
            int[] sizes = new int[groups];
            for (int g : group) {
                sizes[g]++;
            }
            if (sizes[group[0]] == n || node.depth >= MAX_DEPTH) {
                // Every point fell into one group (the sample's points are all alike: e.g. splats sharing one SH
                // vector): dividing again would repeat this node until the stack overflows (50k identical splats:
                // 105 s, then a StackOverflowError). Solve it here with at most LEAF centroids instead.
                int k = Math.min(node.k, LEAF);
                node.cents = lloyd(pts, dim, node.idx, k, iterations, rng);
                node.nc = k;
                node.local = new int[n];
                assignAll(pts, dim, node.idx, node.cents, k, node.local);
                return;
            }
            int[] budgets = share(node.k, sizes, n);
            int[][] members = new int[groups][];
            for (int g = 0; g < groups; g++) {
                members[g] = new int[sizes[g]];
            }
            int[] fill = new int[groups];
            for (int i = 0; i < n; i++) {
                int g = group[i];
                members[g][fill[g]++] = node.idx[i];
            }
            List<Node> kids = new ArrayList<>();
            List<Task> tasks = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                if (sizes[g] == 0) {
                    continue;
                }
                Node child = new Node(members[g], budgets[g], mix(node.seed, g));
                child.depth = node.depth + 1;
                kids.add(child);
                tasks.add(new Task(child, pts, dim, iterations, pool));
            }
            node.children = kids.toArray(new Node[0]);
            invokeAll(tasks);
        }
    }

    /** Splits {@code k} among groups in proportion to their sizes: each non-empty group at least 1, at most its size. */
    static int[] share(int k, int[] sizes, int n) {
        int groups = sizes.length;
        int[] b = new int[groups];
        int used = 0;
        for (int g = 0; g < groups; g++) {
            if (sizes[g] > 0) {
                b[g] = (int) Math.max(1, Math.min(sizes[g], (long) k * sizes[g] / n));
                used += b[g];
            }
        }
        // hand out what is left (or take back what is over) one at a time, largest groups first, deterministically
        while (used != k) {
            int best = -1;
            for (int g = 0; g < groups; g++) {
                boolean ok = used < k ? b[g] < sizes[g] : b[g] > 1;
                if (ok && (best < 0 || (used < k ? (double) sizes[g] / (b[g] + 1) > (double) sizes[best] / (b[best] + 1)
                        : (double) sizes[g] / b[g] < (double) sizes[best] / b[best]))) {
                    best = g;
                }
            }
            if (best < 0) {
                break;
            }
            b[best] += used < k ? 1 : -1;
            used += used < k ? 1 : -1;
        }
        return b;
    }

    static long mix(long seed, int i) {
        long z = seed + 0x9E3779B97F4A7C15L * (i + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static int[] sample(int[] idx, int m, SplittableRandom rng) {
        if (m >= idx.length) {
            return idx;
        }
        int[] copy = idx.clone();
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(copy.length - i);
            int t = copy[i];
            copy[i] = copy[j];
            copy[j] = t;
        }
        return java.util.Arrays.copyOf(copy, m);
    }

    /** Lloyd's k-means over the points {@code idx}; returns k centroids, row-major. Requires idx.length > k. */
    static float[] lloyd(float[] pts, int dim, int[] idx, int k, int iterations, SplittableRandom rng) {
        int n = idx.length;
        float[] cents = seed(pts, dim, idx, k, rng);
        int[] labels = new int[n];
        java.util.Arrays.fill(labels, -1);
        int[] fresh = new int[n];
        double[] sums = new double[k * dim];
        int[] counts = new int[k];
        for (int it = 0; it < iterations; it++) {
            assignAll(pts, dim, idx, cents, k, fresh);
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                if (fresh[i] != labels[i]) {
                    changed = true;
                    labels[i] = fresh[i];
                }
            }
            if (!changed) {
                break;
            }
            java.util.Arrays.fill(sums, 0);
            java.util.Arrays.fill(counts, 0);
            for (int i = 0; i < n; i++) {
                int c = labels[i];
                counts[c]++;
                int p = idx[i] * dim;
                int s = c * dim;
                for (int d = 0; d < dim; d++) {
                    sums[s + d] += pts[p + d];
                }
            }
            for (int c = 0; c < k; c++) {
                int s = c * dim;
                if (counts[c] == 0) {
                    System.arraycopy(pts, idx[rng.nextInt(n)] * dim, cents, s, dim);
                } else {
                    double inv = 1.0 / counts[c];
                    for (int d = 0; d < dim; d++) {
                        cents[s + d] = (float) (sums[s + d] * inv);
                    }
                }
            }
        }
        return cents;
    }

    /**
     * k-means++ seeding: the first centroid a random point, each next one a point drawn with probability
     * proportional to its squared distance from the nearest centroid so far.
     */
    static float[] seed(float[] pts, int dim, int[] idx, int k, SplittableRandom rng) {
        int n = idx.length;
        float[] cents = new float[k * dim];
        double[] d2 = new double[n];
        java.util.Arrays.fill(d2, Double.POSITIVE_INFINITY);
        int pick = idx[rng.nextInt(n)];
        for (int c = 0; c < k; c++) {
            System.arraycopy(pts, pick * dim, cents, c * dim, dim);
            int cOff = c * dim;
            boolean parallel = (long) n * dim > PARALLEL_PAIRS && ForkJoinTask.inForkJoinPool();
            if (parallel) {
                inParts(n, Math.max(2, ForkJoinTask.getPool().getParallelism() * 2),
                        (from, to) -> nearer(pts, dim, idx, from, to, cents, cOff, d2));
            } else {
                nearer(pts, dim, idx, 0, n, cents, cOff, d2);
            }
            if (c + 1 == k) {
                break;
            }
            double total = 0;
            for (double v : d2) {
                total += v;
            }
            if (!(total > 0) || !Double.isFinite(total)) {
                pick = idx[rng.nextInt(n)];
                continue;
            }
            double r = rng.nextDouble() * total;
            int i = 0;
            for (; i < n - 1; i++) {
                r -= d2[i];
                if (r < 0) {
                    break;
                }
            }
            pick = idx[i];
        }
        return cents;
    }

    private static void nearer(float[] pts, int dim, int[] idx, int from, int to, float[] cents, int cOff, double[] d2) {
        for (int i = from; i < to; i++) {
            int p = idx[i] * dim;
            float s = 0;
            for (int d = 0; d < dim; d++) {
                float e = pts[p + d] - cents[cOff + d];
                s += e * e;
            }
            if (s < d2[i]) {
                d2[i] = s;
            }
        }
    }

    /** assign() over all points, split across the pool when the round is large. */
    static void assignAll(float[] pts, int dim, int[] idx, float[] cents, int k, int[] out) {
        int n = idx.length;
        if ((long) n * k < PARALLEL_PAIRS || !ForkJoinTask.inForkJoinPool()) {
            assign(pts, dim, idx, 0, n, cents, k, out);
            return;
        }
        inParts(n, Math.max(2, ForkJoinTask.getPool().getParallelism() * 4),
                (from, to) -> assign(pts, dim, idx, from, to, cents, k, out));
    }

    /** Work over the index range [from, to). */
    @FunctionalInterface
    private interface Slice {
        void run(int from, int to);
    }

    /** Runs {@code work} over [0, n) cut into {@code parts} slices, as tasks of the fork/join pool the caller is in. */
    private static void inParts(int n, int parts, Slice work) {
        List<RecursiveAction> jobs = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) n * p / parts);
            int to = (int) ((long) n * (p + 1) / parts);
            jobs.add(new RecursiveAction() {
                @Override
                protected void compute() {
                    work.run(from, to);
                }
            });
        }
        ForkJoinTask.invokeAll(jobs);
    }

    /** For points idx[from..to), the nearest of k centroids (row-major) into out[from..to). */
    static void assign(float[] pts, int dim, int[] idx, int from, int to, float[] cents, int k, int[] out) {
        // rows of centroid coordinates, one per dimension: the inner loop reads row[c] and writes acc[c] at the
        // same index, which C2 turns into SIMD code
        float[][] rows = new float[dim][k];
        float[] norm = new float[k];
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int d = 0; d < dim; d++) {
                float v = cents[c * dim + d];
                rows[d][c] = v;
                s += (double) v * v;
            }
            norm[c] = (float) s;
        }
        float[] acc = new float[k];
        for (int i = from; i < to; i++) {
            int p = idx[i] * dim;
            System.arraycopy(norm, 0, acc, 0, k);
            for (int d = 0; d < dim; d++) {
                float x = -2 * pts[p + d];
                float[] row = rows[d];
                for (int c = 0; c < k; c++) {
                    acc[c] += x * row[c];
                }
            }
            int best = 0;
            float bv = acc[0];
            for (int c = 1; c < k; c++) {
                if (acc[c] < bv) {
                    bv = acc[c];
                    best = c;
                }
            }
            out[i] = best;
        }
    }
}
