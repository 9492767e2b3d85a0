package dev.vsa.core.format.sog;

import java.util.Arrays;

/**
 * A 256-entry scalar codebook for a pool of values (SOG's log-scales, f_dc and SH coefficients), and each value's
 * index into it.
 *
 * <p>Method: the finite values are sorted and summarised by a histogram whose bin edges are half at equal value
 * steps and half at quantiles (so dense centres and sparse tails both get resolution); the codebook is then the
 * exact optimum of weighted squared error over that histogram (1D k-means by dynamic programming, made
 * O(k * bins * log bins) by the divide-and-conquer optimisation, valid since 1D cluster costs satisfy the
 * quadrangle inequality). Each bin weighs {@code count^0.75}: between plain squared error (1, the dense centre
 * wins) and equal bins (0), so rare large values keep entries near them. Values map to the nearest entry;
 * infinities to the end entries, NaN to entry 0.
 */
final class Codebook {
    static final int SIZE = 256;
    private static final int BINS = 4096;
    private static final double ALPHA = 0.75;

    final float[] entries;

    private Codebook(float[] entries) {
        this.entries = entries;
    }

    /** Fits a codebook to the values of every array (each read up to its {@code count}). */
    static Codebook fit(float[][] columns, int count) {
        int total = 0;
        for (float[] c : columns) {
            total += count;
        }
        float[] v = new float[total];
        int n = 0;
        for (float[] c : columns) {
            for (int i = 0; i < count; i++) {
                float x = c[i];
                if (Float.isFinite(x)) {
                    v[n++] = x;
                }
            }
        }
        float[] sorted = Arrays.copyOf(v, n);
        Arrays.parallelSort(sorted);
        return new Codebook(fitSorted(sorted));
    }

    static float[] fitSorted(float[] s) {
        float[] out = new float[SIZE];
        int n = s.length;
        if (n == 0) {
            return out;
        }
        double lo = s[0];
        double hi = s[n - 1];
        if (hi - lo <= 0) {
            Arrays.fill(out, s[0]);
            return out;
        }
        // bin edges: half uniform in value, half at quantiles; merged, deduplicated
        int half = BINS / 2;
        double[] edges = new double[BINS + 1];
        for (int i = 0; i < half; i++) {
            edges[i] = lo + (hi - lo) * i / half;
            edges[half + i] = s[(int) ((long) n * i / half)];
        }
        edges[BINS] = Double.POSITIVE_INFINITY;
        Arrays.sort(edges, 0, BINS);
        // accumulate bins by sweeping the sorted values
        double[] cnt = new double[BINS];
        double[] sum = new double[BINS];
        int b = 0;
        for (float x : s) {
            while (b + 1 < BINS && x >= edges[b + 1]) {
                b++;
            }
            cnt[b]++;
            sum[b] += x;
        }
        int h = 0;
        double[] w = new double[BINS];
        double[] c = new double[BINS];
        for (int i = 0; i < BINS; i++) {
            if (cnt[i] > 0) {
                c[h] = sum[i] / cnt[i];
                w[h] = Math.pow(cnt[i], ALPHA);
                h++;
            }
        }
        double[] pw = new double[h + 1];
        double[] pwx = new double[h + 1];
        double[] pwxx = new double[h + 1];
        for (int i = 0; i < h; i++) {
            pw[i + 1] = pw[i] + w[i];
            pwx[i + 1] = pwx[i] + w[i] * c[i];
            pwxx[i + 1] = pwxx[i] + w[i] * c[i] * c[i];
        }
        int k = Math.min(SIZE, h);
        // dp[m][j]: best cost of bins 0..j-1 in m clusters; cut[m][j]: start of the last cluster
        double[] prev = new double[h + 1];
        double[] cur = new double[h + 1];
        int[][] cut = new int[k + 1][h + 1];
        for (int j = 1; j <= h; j++) {
            prev[j] = cost(pw, pwx, pwxx, 0, j);
        }
        for (int m = 2; m <= k; m++) {
            Arrays.fill(cur, Double.POSITIVE_INFINITY);
            solve(m, m, h, m - 1, h - 1, prev, cur, cut[m], pw, pwx, pwxx);
            double[] t = prev;
            prev = cur;
            cur = t;
        }
        int j = h;
        for (int m = k; m >= 1; m--) {
            int i = m == 1 ? 0 : cut[m][j];
            double ww = pw[j] - pw[i];
            out[m - 1] = (float) ((pwx[j] - pwx[i]) / ww);
            j = i;
        }
        Arrays.sort(out, 0, k);
        for (int m = k; m < SIZE; m++) {
            out[m] = out[k - 1];
        }
        return out;
    }

    /** Fills cur[j] for j in [jLo, jHi], knowing the optimal cut lies in [iLo, iHi]. */
    private static void solve(int m, int jLo, int jHi, int iLo, int iHi, double[] prev, double[] cur, int[] cut,
                              double[] pw, double[] pwx, double[] pwxx) {
        if (jLo > jHi) {
            return;
        }
        int j = (jLo + jHi) >>> 1;
        double best = Double.POSITIVE_INFINITY;
        int bestI = Math.max(iLo, m - 1);
        for (int i = Math.max(iLo, m - 1); i <= Math.min(iHi, j - 1); i++) {
            double v = prev[i] + cost(pw, pwx, pwxx, i, j);
            if (v < best) {
                best = v;
                bestI = i;
            }
        }
        cur[j] = best;
        cut[j] = bestI;
        solve(m, jLo, j - 1, iLo, bestI, prev, cur, cut, pw, pwx, pwxx);
        solve(m, j + 1, jHi, bestI, iHi, prev, cur, cut, pw, pwx, pwxx);
    }

    private static double cost(double[] pw, double[] pwx, double[] pwxx, int i, int j) {
        double w = pw[j] - pw[i];
        if (w <= 0) {
            return 0;
        }
        double wx = pwx[j] - pwx[i];
        return Math.max(0, pwxx[j] - pwxx[i] - wx * wx / w);
    }

    /** Index of the entry nearest {@code x}. */
    int index(float x) {
        if (Float.isNaN(x)) {
            return 0;
        }
        int lo = 0;
        int hi = SIZE - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (x < (entries[mid] + entries[mid + 1]) * 0.5f) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
