package dev.vsa.core.format.sog;

import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatLayout;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-attribute error between two batches of the same splats in any order: each row of {@code a} is matched to
 * the row of {@code b} nearest in position (a sorted sweep on x). Groups: position, log-scale, rotation (degrees),
 * alpha (sigmoid of opacity), f_dc, f_rest; each with mean, p99 and max of the absolute error.
 */
record AttributeErrors(Map<String, double[]> groups) {
    static AttributeErrors of(SplatBatch a, SplatBatch b) {
        int n = a.size();
        Integer[] byX = new Integer[b.size()];
        for (int i = 0; i < byX.length; i++) {
            byX[i] = i;
        }
        Arrays.sort(byX, (p, q) -> Float.compare(b.get(p, 0), b.get(q, 0)));
        float[] xs = new float[byX.length];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = b.get(byX[i], 0);
        }
        int rest = Math.min(a.layout().restCount(), b.layout().restCount());
        double[][] err = new double[6][];
        err[0] = new double[n * 3];
        err[1] = new double[n * 3];
        err[2] = new double[n];
        err[3] = new double[n];
        err[4] = new double[n * 3];
        err[5] = new double[n * rest];
        for (int i = 0; i < n; i++) {
            float x = a.get(i, 0);
            int at = Arrays.binarySearch(xs, x);
            at = at < 0 ? -at - 1 : at;
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int dir = -1; dir <= 1; dir += 2) {
                for (int j = dir < 0 ? at - 1 : at; j >= 0 && j < xs.length; j += dir) {
                    double dx = xs[j] - x;
                    if (dx * dx > bestD) {
                        break;
                    }
                    int r = byX[j];
                    double d = 0;
                    for (int c = 0; c < 3; c++) {
                        double e = a.get(i, c) - b.get(r, c);
                        d += e * e;
                    }
                    if (d < bestD) {
                        bestD = d;
                        best = r;
                    }
                }
            }
            for (int c = 0; c < 3; c++) {
                err[0][3 * i + c] = Math.abs(a.get(i, c) - b.get(best, c));
                err[1][3 * i + c] = Math.abs(a.get(i, SplatLayout.SCALE_0 + c) - b.get(best, SplatLayout.SCALE_0 + c));
                err[4][3 * i + c] = Math.abs(a.get(i, SplatLayout.DC_0 + c) - b.get(best, SplatLayout.DC_0 + c));
            }
            double dot = 0, na = 0, nb = 0;
            for (int c = SplatLayout.ROT_W; c <= SplatLayout.ROT_Z; c++) {
                dot += (double) a.get(i, c) * b.get(best, c);
                na += (double) a.get(i, c) * a.get(i, c);
                nb += (double) b.get(best, c) * b.get(best, c);
            }
            err[2][i] = Math.toDegrees(2 * Math.acos(Math.min(1, Math.abs(dot) / Math.sqrt(na * nb))));
            err[3][i] = Math.abs(sig(a.get(i, SplatLayout.OPACITY)) - sig(b.get(best, SplatLayout.OPACITY)));
            for (int k = 0; k < rest; k++) {
                err[5][rest * i + k] = Math.abs(a.get(i, SplatLayout.REST + k) - b.get(best, SplatLayout.REST + k));
            }
        }
        String[] names = {"position", "log-scale", "rotation-deg", "alpha", "f_dc", "f_rest"};
        Map<String, double[]> out = new LinkedHashMap<>();
        for (int g = 0; g < 6; g++) {
            double[] e = err[g];
            if (e.length == 0) {
                continue;
            }
            double sum = 0;
            for (double v : e) {
                sum += v;
            }
            double[] s = e.clone();
            Arrays.sort(s);
            out.put(names[g], new double[]{sum / e.length, s[(int) Math.min(s.length - 1, Math.floor(0.99 * s.length))],
                    s[s.length - 1]});
        }
        return new AttributeErrors(out);
    }

    private static double sig(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        groups.forEach((k, v) -> sb.append(String.format("%-13s mean %.3g  p99 %.3g  max %.3g%n", k, v[0], v[1], v[2])));
        return sb.toString();
    }
}
