package dev.vsa.core.render;

import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFileInfo;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.Splats;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The splats of a file in the packed form rendering needs, read once through the streaming reader: per kept splat
 * its position, 3D covariance (from scale and rotation), opacity, SH degree-0 colour as floats and the higher SH
 * coefficients as half floats. Splats that cannot be seen whatever the view (opacity below 1/255, non-finite
 * values) are dropped while reading; a file with more than {@link RenderOptions#maxSplats()} splats is thinned
 * to every k-th one, so memory is bounded by the option, not by the file.
 */
final class SplatScene {
    static final float MIN_ALPHA = 1f / 255f;

    final int count;
    final long inputCount;
    final int degree;
    /** Higher SH coefficients a channel (0, 3, 8 or 15). */
    final int rest;
    final float[] pos;
    /** Σ00 Σ01 Σ02 Σ11 Σ12 Σ22 a splat. */
    final float[] cov;
    final float[] alpha;
    /** 0.5 + C0 * f_dc, three a splat. */
    final float[] base;
    /** f_rest as half floats, {@code 3 * rest} a splat, channel-major as in the file. */
    final short[] sh;

    private SplatScene(int count, long inputCount, int degree, float[] pos, float[] cov, float[] alpha, float[] base,
                       short[] sh) {
        this.count = count;
        this.inputCount = inputCount;
        this.degree = degree;
        this.rest = SplatLayout.restPerChannel(degree);
        this.pos = pos;
        this.cov = cov;
        this.alpha = alpha;
        this.base = base;
        this.sh = sh;
    }

    static SplatScene load(Path file, int maxSplats, Budget budget) throws IOException {
        try (SplatReader reader = Splats.open(file)) {
            SplatFileInfo info = reader.info();
            SplatLayout layout = info.layout();
            long total = Math.max(0, info.count());
            long step = Math.max(1, (total + maxSplats - 1) / maxSplats);
            int cap = (int) Math.min(maxSplats, (total + step - 1) / step);
            Packer packer = new Packer(layout, cap, step);
            // Two batches: the reader fills one while a second thread packs the other.
            int batchRows = SplatBatch.capacityFor(info.count());
            SplatBatch[] batches = {new SplatBatch(layout, batchRows), new SplatBatch(layout, batchRows)};
            Future<?>[] pending = new Future<?>[2];
            ExecutorService packing = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "vsa-render-pack");
                t.setDaemon(true);
                return t;
            });
            try {
                int cur = 0;
                long index = 0;
                while (true) {
                    await(pending[cur]);
                    SplatBatch batch = batches[cur];
                    int rows = reader.read(batch);
                    if (rows == 0) {
                        break;
                    }
                    budget.check();
                    long first = index;
                    index += rows;
                    pending[cur] = packing.submit(() -> packer.pack(batch, rows, first));
                    cur ^= 1;
                }
                await(pending[0]);
                await(pending[1]);
            } finally {
                packing.shutdownNow();
            }
            return new SplatScene(packer.k, total, layout.shDegree(), packer.pos, packer.cov, packer.alpha,
                    packer.base, packer.sh);
        }
    }

    private static void await(Future<?> f) throws IOException {
        if (f == null) {
            return;
        }
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("render interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IOException(e.getCause());
        }
    }

    /** Turns batch rows into packed splats; used by one thread at a time, batches in file order. */
    private static final class Packer {
        final float[] pos, cov, alpha, base;
        final short[] sh;
        final int cap, restAll;
        final long step;
        int k;

        Packer(SplatLayout layout, int cap, long step) {
            this.cap = cap;
            this.step = step;
            this.restAll = layout.restCount();
            pos = new float[3 * cap];
            cov = new float[6 * cap];
            alpha = new float[cap];
            base = new float[3 * cap];
            sh = new short[restAll * cap];
        }

        void pack(SplatBatch batch, int rows, long firstIndex) {
            int stride = batch.stride();
            float[] a = batch.array();
            long index = firstIndex;
            for (int i = 0; i < rows; i++, index++) {
                if (index % step != 0 || k >= cap) {
                    continue;
                }
                int o = i * stride;
                float x = a[o + SplatLayout.X], y = a[o + SplatLayout.Y], z = a[o + SplatLayout.Z];
                float op = (float) (1 / (1 + Math.exp(-a[o + SplatLayout.OPACITY])));
                if (!(op >= MIN_ALPHA) || !Float.isFinite(x + y + z)) {
                    continue;
                }
                double s0 = Math.exp(2.0 * a[o + SplatLayout.SCALE_0]);
                double s1 = Math.exp(2.0 * a[o + SplatLayout.SCALE_1]);
                double s2 = Math.exp(2.0 * a[o + SplatLayout.SCALE_2]);
                if (!Double.isFinite(s0 + s1 + s2)) {
                    continue;
                }
                double qw = a[o + SplatLayout.ROT_W], qx = a[o + SplatLayout.ROT_X],
                        qy = a[o + SplatLayout.ROT_Y], qz = a[o + SplatLayout.ROT_Z];
                double qn = qw * qw + qx * qx + qy * qy + qz * qz;
                if (!(qn > 1e-20) || !Double.isFinite(qn)) { // no usable rotation: the axes as they are
                    qw = 1;
                    qx = qy = qz = 0;
                    qn = 1;
                }
                double inv = 1 / Math.sqrt(qn);
                qw *= inv;
                qx *= inv;
                qy *= inv;
                qz *= inv;
                // Rotation matrix of the unit quaternion (w x y z), rows.
                double r00 = 1 - 2 * (qy * qy + qz * qz), r01 = 2 * (qx * qy - qw * qz), r02 = 2 * (qx * qz + qw * qy);
                double r10 = 2 * (qx * qy + qw * qz), r11 = 1 - 2 * (qx * qx + qz * qz), r12 = 2 * (qy * qz - qw * qx);
                double r20 = 2 * (qx * qz - qw * qy), r21 = 2 * (qy * qz + qw * qx), r22 = 1 - 2 * (qx * qx + qy * qy);
                // Σ = R diag(s^2) R^T
                int c = 6 * k;
                cov[c] = (float) (r00 * r00 * s0 + r01 * r01 * s1 + r02 * r02 * s2);
                cov[c + 1] = (float) (r00 * r10 * s0 + r01 * r11 * s1 + r02 * r12 * s2);
                cov[c + 2] = (float) (r00 * r20 * s0 + r01 * r21 * s1 + r02 * r22 * s2);
                cov[c + 3] = (float) (r10 * r10 * s0 + r11 * r11 * s1 + r12 * r12 * s2);
                cov[c + 4] = (float) (r10 * r20 * s0 + r11 * r21 * s1 + r12 * r22 * s2);
                cov[c + 5] = (float) (r20 * r20 * s0 + r21 * r21 * s1 + r22 * r22 * s2);
                pos[3 * k] = x;
                pos[3 * k + 1] = y;
                pos[3 * k + 2] = z;
                alpha[k] = op;
                base[3 * k] = 0.5f + Sh.C0 * finite(a[o + SplatLayout.DC_0]);
                base[3 * k + 1] = 0.5f + Sh.C0 * finite(a[o + SplatLayout.DC_1]);
                base[3 * k + 2] = 0.5f + Sh.C0 * finite(a[o + SplatLayout.DC_2]);
                int s = restAll * k;
                for (int j = 0; j < restAll; j++) {
                    sh[s + j] = toHalf(finite(a[o + SplatLayout.REST + j]));
                }
                k++;
            }
        }
    }

    /**
     * A finite float as a half float, rounded to nearest (ties away from zero): values below the smallest normal
     * half (6.1e-5) become zero and values beyond the largest (65504) the largest, which changes no colour.
     * Plain bit arithmetic, as fast with the C1 compiler as with C2 (Float.floatToFloat16 is not).
     */
    static short toHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int e = ((bits >>> 23) & 0xFF) - 112; // exponent rebiased from 127 to 15
        if (e <= 0) {
            return (short) sign;
        }
        int m = (bits & 0x7FFFFF) + 0x1000;
        if ((m & 0x800000) != 0) {
            m = 0;
            e++;
        }
        if (e >= 31) {
            return (short) (sign | 0x7BFF);
        }
        return (short) (sign | e << 10 | m >>> 13);
    }

    private static float finite(float v) {
        return Float.isFinite(v) ? v : 0f;
    }

    /**
     * Per-axis percentile bounds of the splat centres ({@code lowPct}..{@code highPct}, e.g. 2 and 98), from an
     * even sample of at most 65,536 splats, so that a few far-away floaters do not decide the framing.
     *
     * @return {lo, hi}; a unit box round the origin if there are no splats
     */
    double[][] robustBounds(double lowPct, double highPct) {
        if (count == 0) {
            return new double[][]{{-1, -1, -1}, {1, 1, 1}};
        }
        int samples = Math.min(count, 65_536);
        double stepD = (double) count / samples;
        double[][] box = new double[2][3];
        float[] v = new float[samples];
        for (int axis = 0; axis < 3; axis++) {
            for (int i = 0; i < samples; i++) {
                v[i] = pos[3 * (int) (i * stepD) + axis];
            }
            Arrays.sort(v);
            box[0][axis] = v[(int) Math.floor(lowPct / 100 * (samples - 1))];
            box[1][axis] = v[(int) Math.ceil(highPct / 100 * (samples - 1))];
        }
        return box;
    }
}
