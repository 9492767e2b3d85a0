package dev.vsa.core.inspect;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.Splats;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a lossy conversion cost: per attribute group, the mean, 99th percentile and maximum absolute error between
 * two splat files (any readable formats), splats matched by order or by nearest position.
 *
 * <p>Groups: {@code position} (scene units), {@code position_rel} (relative to A's bounding-box diagonal),
 * {@code scale} (natural-log scale), {@code opacity} (alpha = sigmoid), {@code colour} (0.5 + C0 * f_dc, per
 * channel), {@code sh1}..{@code sh3} (coefficients of each band present in both), {@code rotation_deg} (angle
 * between the two orientations, sign-free and modulo half turns about a splat's own axes, which leave it unchanged). Both files are held in memory (their rows as floats), refused beyond
 * half the heap.
 *
 * <pre>{@code
 * SplatDiff.Result r = SplatDiff.compare(Path.of("in.ply"), Path.of("out.sog"), SplatDiff.Match.NEAREST);
 * double p99 = r.groups().get("position").p99();
 * }</pre>
 */
public final class SplatDiff {
    private static final double C0 = 0.28209479177387814;

    /** How splats of B are paired with those of A. */
    public enum Match {
        /** Row i of A with row i of B (the shorter count is compared). */
        ORDER,
        /** Each splat of A with the splat of B nearest in position (for writers that reorder, e.g. SOG). */
        NEAREST
    }

    /**
     * One group's absolute errors.
     *
     * @param mean mean
     * @param p99  99th percentile
     * @param max  maximum
     */
    public record Stat(double mean, double p99, double max) {
    }

    /**
     * @param countA   splats in A
     * @param countB   splats in B
     * @param compared pairs compared
     * @param match    how they were paired
     * @param groups   per group, in a fixed order
     */
    public record Result(long countA, long countB, long compared, Match match, Map<String, Stat> groups) {
    }

    private SplatDiff() {
    }

    /**
     * Compares two splat files.
     *
     * @throws MalformedInputException if either is not a readable splat file, or {@code LIMIT_EXCEEDED} if they
     *                                 do not fit in half the heap
     * @throws IOException             if a file cannot be read
     */
    public static Result compare(Path a, Path b, Match match) throws IOException {
        SplatBatch x = readAll(a);
        SplatBatch y = readAll(b);
        int n = match == Match.ORDER ? Math.min(x.size(), y.size()) : x.size();
        int[] pair = match == Match.ORDER ? null : nearest(x, y);
        double[] lo = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] hi = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < x.size(); i++) {
            for (int k = 0; k < 3; k++) {
                lo[k] = Math.min(lo[k], x.get(i, k));
                hi[k] = Math.max(hi[k], x.get(i, k));
            }
        }
        double diag = x.size() == 0 ? 1 : Math.sqrt(sq(hi[0] - lo[0]) + sq(hi[1] - lo[1]) + sq(hi[2] - lo[2]));
        if (!(diag > 0)) {
            diag = 1;
        }
        int bands = Math.min(x.layout().shDegree(), y.layout().shDegree());
        int perA = x.layout().restPerChannel();
        int perB = y.layout().restPerChannel();
        double[][] e = new double[7 + bands][];
        e[0] = new double[n];
        e[1] = new double[n];
        e[2] = new double[3 * n];
        e[3] = new double[n];
        e[4] = new double[3 * n];
        for (int l = 1; l <= bands; l++) {
            e[4 + l] = new double[3 * (2 * l + 1) * n];
        }
        e[5 + bands] = new double[n];
        for (int i = 0; i < n; i++) {
            int j = pair == null ? i : pair[i];
            double d = Math.sqrt(sq(x.get(i, 0) - y.get(j, 0)) + sq(x.get(i, 1) - y.get(j, 1)) + sq(x.get(i, 2) - y.get(j, 2)));
            e[0][i] = d;
            e[1][i] = d / diag;
            for (int k = 0; k < 3; k++) {
                e[2][3 * i + k] = Math.abs(x.get(i, SplatLayout.SCALE_0 + k) - y.get(j, SplatLayout.SCALE_0 + k));
                e[4][3 * i + k] = C0 * Math.abs(x.get(i, SplatLayout.DC_0 + k) - y.get(j, SplatLayout.DC_0 + k));
            }
            e[3][i] = Math.abs(sigmoid(x.get(i, SplatLayout.OPACITY)) - sigmoid(y.get(j, SplatLayout.OPACITY)));
            for (int l = 1; l <= bands; l++) {
                int width = 2 * l + 1;
                for (int c = 0; c < 3; c++) {
                    for (int m = 0; m < width; m++) {
                        int k = l * l - 1 + m;
                        e[4 + l][(i * 3 + c) * width + m] = Math.abs(x.get(i, SplatLayout.REST + c * perA + k)
                                - y.get(j, SplatLayout.REST + c * perB + k));
                    }
                }
            }
            e[5 + bands][i] = ellipsoidAngle(x.get(i, SplatLayout.ROT_W), x.get(i, SplatLayout.ROT_X),
                    x.get(i, SplatLayout.ROT_Y), x.get(i, SplatLayout.ROT_Z), y.get(j, SplatLayout.ROT_W),
                    y.get(j, SplatLayout.ROT_X), y.get(j, SplatLayout.ROT_Y), y.get(j, SplatLayout.ROT_Z));
        }
        Map<String, Stat> groups = new LinkedHashMap<>();
        groups.put("position", stat(e[0]));
        groups.put("position_rel", stat(e[1]));
        groups.put("scale", stat(e[2]));
        groups.put("opacity", stat(e[3]));
        groups.put("colour", stat(e[4]));
        for (int l = 1; l <= bands; l++) {
            groups.put("sh" + l, stat(e[4 + l]));
        }
        groups.put("rotation_deg", stat(e[5 + bands]));
        return new Result(x.size(), y.size(), n, match, groups);
    }

    /**
     * Degrees between two splat orientations (quaternions w x y z, any length), sign-free and modulo the half turns
     * about the splat's own axes: R and R times a half turn about x, y or z give the same Gaussian (the per-axis
     * scales stay on their axes), as a frame change by sign flips produces (R M^T for R M^T's M). The smallest
     * angle to b, b i, b j, b k.
     */
    static double ellipsoidAngle(double aw, double ax, double ay, double az, double bw, double bx, double by, double bz) {
        double na = aw * aw + ax * ax + ay * ay + az * az;
        double nb = bw * bw + bx * bx + by * by + bz * bz;
        if (!(na > 0) || !(nb > 0)) {
            return Double.NaN;
        }
        double d0 = aw * bw + ax * bx + ay * by + az * bz; // b
        double d1 = -aw * bx + ax * bw + ay * bz - az * by; // b i = (-bx, bw, bz, -by)
        double d2 = -aw * by - ax * bz + ay * bw + az * bx; // b j = (-by, -bz, bw, bx)
        double d3 = -aw * bz + ax * by - ay * bx + az * bw; // b k = (-bz, by, -bx, bw)
        double best = Math.max(Math.max(Math.abs(d0), Math.abs(d1)), Math.max(Math.abs(d2), Math.abs(d3)));
        return Math.toDegrees(2 * Math.acos(Math.min(1, best / Math.sqrt(na * nb))));
    }

    private static double sq(double v) {
        return v * v;
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private static Stat stat(double[] e) {
        if (e.length == 0) {
            return new Stat(0, 0, 0);
        }
        double sum = 0;
        for (double v : e) {
            sum += v;
        }
        double[] s = e.clone();
        Arrays.sort(s);
        return new Stat(sum / e.length, s[(int) Math.min(s.length - 1, Math.floor(0.99 * s.length))], s[s.length - 1]);
    }

    /** For each row of a, the row of b nearest in position (a sweep over b sorted by x). */
    private static int[] nearest(SplatBatch a, SplatBatch b) {
        int m = b.size();
        long[] keys = new long[m];
        for (int i = 0; i < m; i++) {
            int bits = Float.floatToIntBits(b.get(i, 0));
            int sortable = bits < 0 ? ~bits ^ 0x8000_0000 : bits; // orders as the floats do, as a signed int
            keys[i] = ((long) sortable << 32) | i;
        }
        Arrays.sort(keys);
        float[] xs = new float[m];
        int[] idx = new int[m];
        for (int i = 0; i < m; i++) {
            idx[i] = (int) keys[i];
            xs[i] = b.get(idx[i], 0);
        }
        int[] out = new int[a.size()];
        for (int i = 0; i < a.size(); i++) {
            float x = a.get(i, 0);
            int at = Arrays.binarySearch(xs, x);
            at = at < 0 ? -at - 1 : at;
            int best = m == 0 ? 0 : Math.min(at, m - 1);
            double bestD = Double.POSITIVE_INFINITY;
            for (int dir = -1; dir <= 1; dir += 2) {
                for (int j = dir < 0 ? at - 1 : at; j >= 0 && j < m; j += dir) {
                    double dx = xs[j] - x;
                    if (dx * dx > bestD) {
                        break;
                    }
                    int r = idx[j];
                    double d = sq(a.get(i, 0) - b.get(r, 0)) + sq(a.get(i, 1) - b.get(r, 1)) + sq(a.get(i, 2) - b.get(r, 2));
                    if (d < bestD) {
                        bestD = d;
                        best = r;
                    }
                }
            }
            out[i] = best;
        }
        if (m == 0 && a.size() > 0) {
            throw new MalformedInputException(ErrorCode.EMPTY_FILE, null, "the second file holds no splats to match");
        }
        return out;
    }

    private static SplatBatch readAll(Path p) throws IOException {
        try (SplatReader r = Splats.open(p)) {
            long count = r.info().count();
            SplatLayout layout = r.info().layout();
            long bytes = count * layout.stride() * 4L;
            if (count < 0 || count > Integer.MAX_VALUE / layout.stride() || bytes > Runtime.getRuntime().maxMemory() / 4) {
                throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, null, p.getFileName() + ": " + count
                        + " splats are too many to compare in this heap (" + (Runtime.getRuntime().maxMemory() >> 20) + " MiB)");
            }
            SplatBatch all = new SplatBatch(layout, (int) Math.max(1, count));
            SplatBatch part = new SplatBatch(layout, 16_384);
            int rows = 0;
            int n;
            while ((n = r.read(part)) > 0) {
                if (rows + n > all.capacity()) {
                    throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, null, p.getFileName() + " holds more splats than its header says");
                }
                System.arraycopy(part.array(), 0, all.array(), rows * layout.stride(), n * layout.stride());
                rows += n;
            }
            all.setSize(rows);
            return all;
        }
    }
}
