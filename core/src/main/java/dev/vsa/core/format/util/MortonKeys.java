package dev.vsa.core.format.util;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Morton (Z-order) sort keys of splat positions: the code of the position (as many bits an axis, up to 21, as the
 * row index leaves, over a bounding box) above the row index, so keys are unique and ties keep input order. One
 * definition for the {@code sort} transform and the compressed PLY writer, which must give the same order.
 */
public final class MortonKeys {
    /** Bits of the code a radix pass sorts by, at most (2048 buckets: the counts stay in the L1 cache). */
    private static final int DIGIT_BITS = 11;
    /** Rows from which {@link #sort} sorts by radix on all cores; fewer go to {@code Arrays.sort}. */
    private static final int RADIX_ROWS = 1 << 16;
    /** Rows of a radix slice, at least (one thread's part of a pass). */
    private static final int SLICE_ROWS = 1 << 16;

    private final int indexBits;
    private final int axisBits;
    private final double cells;
    private final double[] min = new double[3];
    private final double[] scale = new double[3];

    /** Keys for {@code count} rows whose finite positions lie in {@code [lo, hi]} (x, y, z each). */
    public MortonKeys(long count, double[] lo, double[] hi) {
        indexBits = Math.max(1, 64 - Long.numberOfLeadingZeros(Math.max(1, count - 1)));
        axisBits = Math.min(21, (63 - indexBits) / 3);
        cells = (1L << axisBits) - 1;
        for (int k = 0; k < 3; k++) {
            double extent = hi[k] - lo[k];
            min[k] = lo[k];
            scale[k] = extent > 0 ? cells / extent : 0;
        }
    }

    /** The mask that takes a key's row index. */
    public long indexMask() {
        return (1L << indexBits) - 1;
    }

    /** The key of row {@code i} at {@code (x, y, z)}; a non-finite coordinate counts as the box's low end. */
    public long key(double x, double y, double z, long i) {
        return (spread(cell(x, 0)) | spread(cell(y, 1)) << 1 | spread(cell(z, 2)) << 2) << indexBits | i;
    }

    /**
     * Sorts {@code keys} ascending, where {@code keys[i]} is the key of row {@code i} (as {@link #key} makes them,
     * for rows {@code 0..keys.length-1}). From {@link #RADIX_ROWS} rows a stable LSD radix sort over the code bits
     * alone (the index bits are in order already), each pass split over all cores ({@code Arrays.parallelSort}
     * sorts on one thread where the common pool has one worker: two cores), in simple loops that run fast before
     * the JIT's last tier has compiled them. Keys are unique, so any correct sort gives the same order.
     */
    public void sort(long[] keys) {
        int n = keys.length;
        if (n < RADIX_ROWS) {
            Arrays.sort(keys);
            return;
        }
        int codeBits = 3 * axisBits;
        int passes = (codeBits + DIGIT_BITS - 1) / DIGIT_BITS;
        int digitBits = (codeBits + passes - 1) / passes;
        int buckets = 1 << digitBits;
        int slices = (int) Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), n / SLICE_ROWS));
        int[][] counts = new int[slices][buckets];
        long[] src = keys;
        long[] dst = new long[n];
        for (int p = 0; p < passes; p++) {
            int shift = indexBits + p * digitBits;
            long[] from = src;
            long[] to = dst;
            IntStream.range(0, slices).parallel().forEach(t -> {
                int[] c = counts[t];
                Arrays.fill(c, 0);
                for (int i = sliceStart(n, slices, t), end = sliceStart(n, slices, t + 1); i < end; i++) {
                    c[(int) (from[i] >>> shift) & buckets - 1]++;
                }
            });
            // offsets, in bucket then slice order (stable); a pass that would keep every key in place is skipped
            int at = 0;
            boolean moves = true;
            for (int d = 0; d < buckets && moves; d++) {
                for (int t = 0; t < slices; t++) {
                    int c = counts[t][d];
                    counts[t][d] = at;
                    at += c;
                }
                moves = at - counts[0][d] < n; // false: all keys share this digit
            }
            if (!moves) {
                continue;
            }
            IntStream.range(0, slices).parallel().forEach(t -> {
                int[] next = counts[t];
                for (int i = sliceStart(n, slices, t), end = sliceStart(n, slices, t + 1); i < end; i++) {
                    long k = from[i];
                    to[next[(int) (k >>> shift) & buckets - 1]++] = k;
                }
            });
            src = to;
            dst = from;
        }
        if (src != keys) {
            System.arraycopy(src, 0, keys, 0, n);
        }
    }

    private static int sliceStart(int n, int slices, int t) {
        return (int) ((long) n * t / slices);
    }

    private long cell(double v, int k) {
        return Double.isFinite(v) ? (long) Math.max(0, Math.min(cells, (v - min[k]) * scale[k])) : 0;
    }

    /** Spreads the low 21 bits of {@code v} to every third bit. */
    private static long spread(long v) {
        long x = v & 0x1FFFFFL;
        x = (x | x << 32) & 0x1F00000000FFFFL;
        x = (x | x << 16) & 0x1F0000FF0000FFL;
        x = (x | x << 8) & 0x100F00F00F00F00FL;
        x = (x | x << 4) & 0x10C30C30C30C30C3L;
        x = (x | x << 2) & 0x1249249249249249L;
        return x;
    }
}
