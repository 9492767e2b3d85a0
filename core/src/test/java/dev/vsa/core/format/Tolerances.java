package dev.vsa.core.format;

import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Per-column comparison of two batches with the error a format's quantization allows.
 *
 * @param position  max |error| of x y z
 * @param logScale  max |error| of scale_0..2
 * @param rotation  max 1 - |dot| of the two unit quaternions (sign-free: q and -q are the same rotation)
 * @param alpha     max |error| of sigmoid(opacity)
 * @param dc        max |error| of f_dc
 * @param rest      max |error| of f_rest
 */
public record Tolerances(double position, double logScale, double rotation, double alpha, double dc, double rest) {
    /** Checks every row and column of {@code got} against {@code expected} (extras only when both have them). */
    public void check(SplatBatch expected, SplatBatch got) {
        assertEquals(expected.size(), got.size(), "row count");
        int rest = Math.min(expected.layout().restCount(), got.layout().restCount());
        assertEquals(expected.layout().shDegree(), got.layout().shDegree(), "SH degree");
        for (int i = 0; i < expected.size(); i++) {
            for (int c = SplatLayout.X; c <= SplatLayout.Z; c++) {
                close(expected, got, i, c, expected.get(i, c), got.get(i, c), position);
            }
            for (int c = SplatLayout.SCALE_0; c <= SplatLayout.SCALE_2; c++) {
                close(expected, got, i, c, expected.get(i, c), got.get(i, c), logScale);
            }
            double dot = 0;
            for (int c = SplatLayout.ROT_W; c <= SplatLayout.ROT_Z; c++) {
                dot += (double) expected.get(i, c) * got.get(i, c);
            }
            if (1 - Math.abs(dot) > rotation) {
                fail("row " + i + ": rotation differs, 1-|dot| = " + (1 - Math.abs(dot)) + " > " + rotation);
            }
            close(expected, got, i, SplatLayout.OPACITY, sigmoid(expected.get(i, SplatLayout.OPACITY)),
                    sigmoid(got.get(i, SplatLayout.OPACITY)), alpha);
            for (int c = SplatLayout.DC_0; c <= SplatLayout.DC_2; c++) {
                close(expected, got, i, c, expected.get(i, c), got.get(i, c), dc);
            }
            for (int k = 0; k < rest; k++) {
                int c = SplatLayout.REST + k;
                close(expected, got, i, c, expected.get(i, c), got.get(i, c), rest == 0 ? 0 : this.rest);
            }
        }
        assertTrue(true);
    }

    private static void close(SplatBatch e, SplatBatch g, int row, int col, double a, double b, double tol) {
        if (Double.compare(a, b) == 0) {
            return;
        }
        if (!(Math.abs(a - b) <= tol)) {
            fail("row " + row + " column " + e.layout().columnName(col) + ": expected " + a + " got " + b
                    + " (|diff| " + Math.abs(a - b) + " > " + tol + ")");
        }
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
