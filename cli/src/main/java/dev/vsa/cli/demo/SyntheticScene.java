package dev.vsa.cli.demo;

import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A seeded synthetic splat scene: Gaussians along a torus knot, coloured by position, with small random
 * higher-order SH. The same seed, count and degree always give the same values, so demos, tests and
 * benchmarks need no downloaded files.
 */
public final class SyntheticScene {
    private static final float SH_C0 = 0.28209479f;

    private SyntheticScene() {
    }

    /**
     * Writes {@code count} splats of SH degree {@code shDegree} to {@code file} in {@code format}.
     *
     * @throws IllegalArgumentException if count is negative or the degree is outside 0..3
     */
    public static void write(Path file, SplatFormat format, int count, int shDegree, long seed) throws IOException {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        SplatLayout layout = SplatLayout.of(shDegree);
        SplittableRandom rnd = new SplittableRandom(seed);
        try (SplatWriter w = Splats.create(file, format, layout, WriteOptions.DEFAULTS)) {
            SplatBatch batch = new SplatBatch(layout, Math.max(1, Math.min(count, SplatBatch.DEFAULT_CAPACITY)));
            int done = 0;
            while (done < count) {
                int n = Math.min(batch.capacity(), count - done);
                for (int i = 0; i < n; i++) {
                    fill(batch, i, done + i, count, layout, rnd);
                }
                batch.setSize(n);
                w.write(batch);
                done += n;
            }
            w.finish();
        }
    }

    private static void fill(SplatBatch b, int row, int index, int count, SplatLayout layout, SplittableRandom rnd) {
        // A (2,3) torus knot, thickened with noise.
        double t = 2 * Math.PI * index / Math.max(1, count);
        double r = 2 + Math.cos(3 * t);
        double x = r * Math.cos(2 * t) + rnd.nextGaussian() * 0.15;
        double y = r * Math.sin(2 * t) + rnd.nextGaussian() * 0.15;
        double z = -Math.sin(3 * t) + rnd.nextGaussian() * 0.15;
        b.set(row, SplatLayout.X, (float) x);
        b.set(row, SplatLayout.Y, (float) y);
        b.set(row, SplatLayout.Z, (float) z);
        for (int k = 0; k < 3; k++) {
            b.set(row, SplatLayout.SCALE_0 + k, (float) Math.log(0.02 + 0.04 * rnd.nextDouble()));
        }
        double qw = rnd.nextGaussian(), qx = rnd.nextGaussian(), qy = rnd.nextGaussian(), qz = rnd.nextGaussian();
        double qn = Math.sqrt(qw * qw + qx * qx + qy * qy + qz * qz);
        if (qn < 1e-9) {
            qw = 1;
            qn = 1;
        }
        b.set(row, SplatLayout.ROT_W, (float) (qw / qn));
        b.set(row, SplatLayout.ROT_X, (float) (qx / qn));
        b.set(row, SplatLayout.ROT_Y, (float) (qy / qn));
        b.set(row, SplatLayout.ROT_Z, (float) (qz / qn));
        b.set(row, SplatLayout.OPACITY, (float) (1 + 2 * rnd.nextDouble())); // logit: alpha 0.73..0.95
        double hue = t / (2 * Math.PI);
        double[] rgb = {0.5 + 0.5 * Math.cos(2 * Math.PI * hue), 0.5 + 0.5 * Math.cos(2 * Math.PI * (hue - 1.0 / 3)),
            0.5 + 0.5 * Math.cos(2 * Math.PI * (hue - 2.0 / 3))};
        for (int c = 0; c < 3; c++) {
            b.set(row, SplatLayout.DC_0 + c, (float) ((rgb[c] - 0.5) / SH_C0));
        }
        int rest = layout.restCount();
        for (int k = 0; k < rest; k++) {
            b.set(row, SplatLayout.REST + k, (float) ((rnd.nextDouble() - 0.5) * 0.1));
        }
    }
}
