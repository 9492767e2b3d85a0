package dev.vsa.core.inspect;

import java.util.ArrayList;
import java.util.List;

/**
 * A column's running moments and a 65,536-bucket histogram keyed by the top 16 bits of each float's order-preserving
 * bit pattern: 256 KiB a column whatever the splat count, quantiles within 2^-7 relative (sign, 8 exponent
 * and 7 mantissa bits).
 */
final class ColumnSketch {
    static final int BINS = 16;
    private final int[] buckets = new int[1 << 16];
    private long count;
    private double mean;
    private double m2;

    void add(float v) {
        count++;
        double d = v - mean;
        mean += d / count;
        m2 += d * (v - mean);
        buckets[key(v)]++;
    }

    long count() {
        return count;
    }

    Double mean() {
        return count == 0 ? null : mean;
    }

    Double stdDev() {
        return count == 0 ? null : Math.sqrt(Math.max(0, m2 / count));
    }

    /** Bucket of {@code v}: the top 16 bits of a bit pattern whose unsigned order is the floats' order. */
    static int key(float v) {
        int b = Float.floatToRawIntBits(v);
        int sortable = b >= 0 ? b ^ 0x80000000 : ~b;
        return sortable >>> 16;
    }

    /** The smallest float of bucket {@code k} (its lower edge). */
    static double edge(int k) {
        int sortable = k << 16;
        int b = sortable < 0 ? sortable ^ 0x80000000 : ~sortable;
        return Float.intBitsToFloat(b);
    }

    /** The q-quantile (0..1) by rank over the finite values, interpolated inside its bucket; null when empty. */
    Double quantile(double q) {
        if (count == 0) {
            return null;
        }
        double rank = q * (count - 1);
        long before = 0;
        for (int k = 0; k < buckets.length; k++) {
            int c = buckets[k];
            if (c > 0 && before + c > rank) {
                double lo = edge(k), hi = k + 1 < buckets.length ? edge(k + 1) : lo;
                if (!Double.isFinite(hi)) {
                    hi = lo;
                }
                double f = (rank - before + 0.5) / c;
                return lo + (hi - lo) * Math.min(1, f);
            }
            before += c;
        }
        return null;
    }

    /** {@link #BINS} bins over [lo, hi], each bucket counted at its lower edge; null when empty. */
    SplatStatistics.Histogram histogram(Double lo, Double hi) {
        if (count == 0 || lo == null || hi == null) {
            return null;
        }
        long[] bins = new long[BINS];
        long below = 0, above = 0;
        double width = (hi - lo) / BINS;
        for (int k = 0; k < buckets.length; k++) {
            int c = buckets[k];
            if (c == 0) {
                continue;
            }
            double v = edge(k);
            if (v < lo) {
                below += c;
            } else if (v > hi) {
                above += c;
            } else {
                int b = width > 0 ? (int) Math.min(BINS - 1, Math.floor((v - lo) / width)) : 0;
                bins[b] += c;
            }
        }
        List<Long> counts = new ArrayList<>(BINS);
        for (long b : bins) {
            counts.add(b);
        }
        return new SplatStatistics.Histogram(lo, hi, counts, below, above);
    }
}
