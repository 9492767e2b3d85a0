package dev.vsa.core.validate.splat;

import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.validate.IssueSink;
import dev.vsa.core.validate.Severity;

import java.util.Locale;

/**
 * The value checks of splat validation, fed one batch at a time (one streaming pass, memory independent of
 * the file's size), then turned into issues. Codes and thresholds are documented in
 * {@code docs/validation-codes.md}; keep the two in step.
 */
final class SplatChecks {
    /** NaN or infinite values in a column. */
    static final String NON_FINITE = "SPLAT_NON_FINITE";
    /** Rotations whose quaternion has (nearly) zero or non-finite length. */
    static final String ROTATION_NOT_NORMALIZABLE = "SPLAT_ROTATION_NOT_NORMALIZABLE";
    /** Opacity logits outside {@link #OPACITY_MIN}..{@link #OPACITY_MAX}. */
    static final String OPACITY_OUT_OF_RANGE = "SPLAT_OPACITY_OUT_OF_RANGE";
    /** Log scales outside {@link #SCALE_MIN}..{@link #SCALE_MAX}. */
    static final String SCALE_OUT_OF_RANGE = "SPLAT_SCALE_OUT_OF_RANGE";
    /** Spherical-harmonics coefficients larger than {@link #SH_MAX} in magnitude. */
    static final String SH_OUT_OF_RANGE = "SPLAT_SH_OUT_OF_RANGE";

    /**
     * Opacity is stored as a logit: sigmoid(20) = 1 - 2e-9 and sigmoid(-20) = 2e-9, so beyond +-20 a value
     * changes nothing visible and usually means a broken export (or a linear value stored as a logit).
     */
    static final float OPACITY_MIN = -20f, OPACITY_MAX = 20f;
    /**
     * Scale is the natural log of a standard deviation in scene units: exp(-30) = 1e-13 is far below any
     * float-precision position, exp(10) = 22026 units is larger than any captured scene.
     */
    static final float SCALE_MIN = -30f, SCALE_MAX = 10f;
    /** An SH coefficient of 50 already moves colour by 14 (0.28 * 50) on a 0..1 scale. */
    static final float SH_MAX = 50f;
    /** Squared quaternion length below which no direction can be recovered. */
    static final double MIN_QUAT_NORM2 = 1e-12;

    private final SplatLayout layout;
    private final int stride;
    private final long[] nonFinite;
    private final long[] firstNonFinite;
    private final Range rotation = new Range();
    private final Range opacity = new Range();
    private final Range scale = new Range();
    private final Range sh = new Range();
    private long rows;

    /** Count and first index of rows that failed one check. */
    private static final class Range {
        long count;
        long first = -1;
        float worst;

        void hit(long row, float value) {
            if (count++ == 0) {
                first = row;
                worst = value;
            } else if (Math.abs(value) > Math.abs(worst)) {
                worst = value;
            }
        }
    }

    SplatChecks(SplatLayout layout) {
        this.layout = layout;
        this.stride = layout.stride();
        this.nonFinite = new long[stride];
        this.firstNonFinite = new long[stride];
    }

    /** Rows seen so far. */
    long rows() {
        return rows;
    }

    void accept(SplatBatch batch) {
        float[] a = batch.array();
        int n = batch.size();
        int restEnd = layout.extrasOffset();
        for (int r = 0; r < n; r++) {
            long row = rows + r;
            int o = r * stride;
            for (int c = 0; c < stride; c++) {
                if (!Float.isFinite(a[o + c]) && nonFinite[c]++ == 0) {
                    firstNonFinite[c] = row;
                }
            }
            double w = a[o + SplatLayout.ROT_W], x = a[o + SplatLayout.ROT_X], y = a[o + SplatLayout.ROT_Y],
                    z = a[o + SplatLayout.ROT_Z];
            double n2 = w * w + x * x + y * y + z * z;
            if (!(n2 >= MIN_QUAT_NORM2) || !Double.isFinite(n2)) {
                rotation.hit(row, (float) Math.sqrt(n2));
            }
            float op = a[o + SplatLayout.OPACITY];
            if (Float.isFinite(op) && (op < OPACITY_MIN || op > OPACITY_MAX)) {
                opacity.hit(row, op);
            }
            for (int c = SplatLayout.SCALE_0; c <= SplatLayout.SCALE_2; c++) {
                float s = a[o + c];
                if (Float.isFinite(s) && (s < SCALE_MIN || s > SCALE_MAX)) {
                    scale.hit(row, s);
                    break;
                }
            }
            for (int c = SplatLayout.DC_0; c < restEnd; c++) {
                float v = a[o + c];
                if (Float.isFinite(v) && (v < -SH_MAX || v > SH_MAX)) {
                    sh.hit(row, v);
                    break;
                }
            }
        }
        rows += n;
    }

    /** Adds the issues found (NaN-free columns and in-range values add nothing). */
    void report(IssueSink sink) {
        for (int c = 0; c < stride; c++) {
            if (nonFinite[c] > 0) {
                sink.at(null, NON_FINITE, Severity.ERROR, nonFinite[c] + " value(s) of " + layout.columnName(c)
                        + " are NaN or infinite, the first at splat " + firstNonFinite[c] + ".");
            }
        }
        if (rotation.count > 0) {
            sink.at(null, ROTATION_NOT_NORMALIZABLE, Severity.ERROR, rotation.count
                    + " rotation(s) have a zero or non-finite quaternion and cannot be normalized, the first at splat "
                    + rotation.first + ".");
        }
        if (opacity.count > 0) {
            sink.at(null, OPACITY_OUT_OF_RANGE, Severity.WARNING, opacity.count + " opacity logit(s) are outside ["
                    + fmt(OPACITY_MIN) + ", " + fmt(OPACITY_MAX) + "], the first at splat " + opacity.first
                    + "; the most extreme is " + fmt(opacity.worst) + ".");
        }
        if (scale.count > 0) {
            sink.at(null, SCALE_OUT_OF_RANGE, Severity.WARNING, scale.count + " splat(s) have a log scale outside ["
                    + fmt(SCALE_MIN) + ", " + fmt(SCALE_MAX) + "], the first at splat " + scale.first
                    + "; the most extreme is " + fmt(scale.worst) + ".");
        }
        if (sh.count > 0) {
            sink.at(null, SH_OUT_OF_RANGE, Severity.WARNING, sh.count
                    + " splat(s) have a spherical-harmonics coefficient outside [" + fmt(-SH_MAX) + ", "
                    + fmt(SH_MAX) + "], the first at splat " + sh.first + "; the most extreme is " + fmt(sh.worst)
                    + ".");
        }
    }

    private static String fmt(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e7 ? Integer.toString((int) v) : String.format(Locale.ROOT, "%.6g", v);
    }
}
