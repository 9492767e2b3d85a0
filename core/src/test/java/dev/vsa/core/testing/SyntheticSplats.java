package dev.vsa.core.testing;

import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random splats for tests of any module (core publishes its tests as a test-jar: depend on
 * {@code dev.vsa:vsa-core} with {@code <type>test-jar</type><scope>test</scope>}).
 *
 * <p>Values are plausible for a real scene: positions in [-10, 10), log-scales in [-6, 0), unit quaternions
 * (w x y z, w >= 0), opacity logits in [-5, 5), f_dc in [-1.5, 1.5), f_rest in [-0.6, 0.6), extras in [0, 1).
 * The same seed gives the same rows, whether generated in one batch or streamed in many.
 *
 * <pre>{@code
 * SplatLayout layout = SyntheticSplats.layout(3, "confidence");
 * Path ply = SyntheticSplats.write(dir.resolve("a.ply"), SplatFormat.PLY, layout, 1000, 42);
 * }</pre>
 */
public final class SyntheticSplats {
    private SyntheticSplats() {
    }

    /** A layout of the given SH degree with the given extra property names. */
    public static SplatLayout layout(int shDegree, String... extras) {
        return new SplatLayout(shDegree, List.of(extras));
    }

    /** A batch of {@code count} rows generated from {@code seed}. */
    public static SplatBatch generate(SplatLayout layout, int count, long seed) {
        SplatBatch batch = new SplatBatch(layout, count);
        fill(batch, count, new SplittableRandom(seed));
        return batch;
    }

    /** Fills the first {@code count} rows of {@code batch} from {@code random} and sets its size. */
    public static void fill(SplatBatch batch, int count, SplittableRandom random) {
        SplatLayout layout = batch.layout();
        int stride = batch.stride();
        float[] a = batch.array();
        int rest = layout.restCount();
        int extrasOffset = layout.extrasOffset();
        int extras = layout.extras().size();
        for (int i = 0; i < count; i++) {
            int o = i * stride;
            a[o + SplatLayout.X] = (float) random.nextDouble(-10, 10);
            a[o + SplatLayout.Y] = (float) random.nextDouble(-10, 10);
            a[o + SplatLayout.Z] = (float) random.nextDouble(-10, 10);
            for (int k = 0; k < 3; k++) {
                a[o + SplatLayout.SCALE_0 + k] = (float) random.nextDouble(-6, 0);
            }
            double w = random.nextGaussian(), x = random.nextGaussian(), y = random.nextGaussian(),
                    z = random.nextGaussian();
            double n = Math.sqrt(w * w + x * x + y * y + z * z);
            if (n < 1e-6) {
                w = 1;
                n = 1;
            }
            double sign = w < 0 ? -1 : 1;
            a[o + SplatLayout.ROT_W] = (float) (sign * w / n);
            a[o + SplatLayout.ROT_X] = (float) (sign * x / n);
            a[o + SplatLayout.ROT_Y] = (float) (sign * y / n);
            a[o + SplatLayout.ROT_Z] = (float) (sign * z / n);
            a[o + SplatLayout.OPACITY] = (float) random.nextDouble(-5, 5);
            for (int k = 0; k < 3; k++) {
                a[o + SplatLayout.DC_0 + k] = (float) random.nextDouble(-1.5, 1.5);
            }
            for (int k = 0; k < rest; k++) {
                a[o + SplatLayout.REST + k] = (float) random.nextDouble(-0.6, 0.6);
            }
            for (int k = 0; k < extras; k++) {
                a[o + extrasOffset + k] = (float) random.nextDouble();
            }
        }
        batch.setSize(count);
    }

    /**
     * Streams {@code count} generated splats into a new file of the given format.
     *
     * @return {@code file}
     */
    public static Path write(Path file, SplatFormat format, SplatLayout layout, long count, long seed)
            throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        SplatBatch batch = new SplatBatch(layout, (int) Math.min(SplatBatch.DEFAULT_CAPACITY, Math.max(1, count)));
        try (SplatWriter out = Splats.create(file, format, layout, WriteOptions.DEFAULTS)) {
            long left = count;
            while (left > 0) {
                int n = (int) Math.min(batch.capacity(), left);
                fill(batch, n, random);
                out.write(batch);
                left -= n;
            }
            out.finish();
        }
        return file;
    }
}
