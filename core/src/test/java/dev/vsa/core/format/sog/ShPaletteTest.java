package dev.vsa.core.format.sog;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShPaletteTest {
    private static float[] points(int n, int dim, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[n * dim];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) r.nextGaussian();
        }
        return p;
    }

    private static ShPalette run(float[] p, int n, int dim, int k, int threads) {
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            return ShPalette.cluster(p, n, dim, k, 10, 99, pool);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cluster_tree_sameResultWhateverTheThreadCount() {
        int n = 40_000, dim = 3, k = 2048; // n * k beyond FLAT_LIMIT: the k-means tree
        assertTrue((long) n * k > ShPalette.FLAT_LIMIT);
        float[] p = points(n, dim, 1);
        ShPalette one = run(p, n, dim, k, 1);
        ShPalette two = run(p, n, dim, k, 2);
        assertEquals(k, one.count);
        assertArrayEquals(one.labels, two.labels);
        assertArrayEquals(one.centroids, two.centroids);
    }

    @Test
    void cluster_tree_eachPointNearItsCentroid() {
        int n = 40_000, dim = 3, k = 2048;
        float[] p = points(n, dim, 2);
        ShPalette s = run(p, n, dim, k, 2);
        double err = 0;
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dim; d++) {
                double e = p[i * dim + d] - s.centroids[s.labels[i] * dim + d];
                err += e * e;
            }
        }
        // 2048 cells over 40k standard-normal points in 3D: the mean squared error is far below the variance (3)
        assertTrue(err / n < 0.05, "mse " + err / n);
    }

    @Test
    void cluster_tree_identicalPoints_endsAndKeepsTheirValue() {
        // e.g. splats whose SH rest coefficients are all zero: once overflowed the stack after minutes of splitting
        int n = 40_000, dim = 3, k = 2048;
        float[] p = new float[n * dim];
        java.util.Arrays.fill(p, 0.25f);
        for (int i = 0; i < 5; i++) { // a few that differ
            p[i * 997 * dim] = i + 1;
        }
        ShPalette s = run(p, n, dim, k, 2);
        assertTrue(s.count >= 1 && s.count <= k, "count " + s.count);
        for (int i = 0; i < n; i++) {
            if (i % 997 != 0 || i / 997 >= 5) { // the alike ones keep their value exactly
                for (int d = 0; d < dim; d++) {
                    assertEquals(0.25f, s.centroids[s.labels[i] * dim + d], 1e-6, "point " + i);
                }
            }
        }
    }

    @Test
    void cluster_fewerPointsThanBudget_eachItsOwn() {
        float[] p = points(10, 4, 3);
        ShPalette s = run(p, 10, 4, 64, 2);
        assertEquals(10, s.count);
        assertArrayEquals(p, s.centroids);
    }
}
