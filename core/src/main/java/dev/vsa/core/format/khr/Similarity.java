package dev.vsa.core.format.khr;

import dev.vsa.core.splat.SplatLayout;

/**
 * A rotation, uniform positive scale and translation applied to splat rows: positions {@code p' = s R p + t},
 * rotations {@code q' = qR (x) q}, log-scales {@code + ln s}, SH coefficients rotated band by band. The SH
 * rotation matrices are found numerically: for each band l the matrix D with
 * {@code sum_k D[k][j] Y_k(d) = Y_j(R^T d)} for all directions d, solved by least squares over 26 fixed
 * directions with the 3DGS/KHR real SH basis (the same basis on both sides, so its constants cancel out).
 */
final class Similarity {
    private final double[][] r;
    private final double scale;
    private final double[] t;
    private final double qw, qx, qy, qz;
    private final double[][][] bands = new double[4][][];

    /**
     * @param r     a proper rotation matrix, row-major
     * @param scale uniform scale, positive
     * @param t     translation
     */
    Similarity(double[][] r, double scale, double[] t) {
        this.r = r;
        this.scale = scale;
        this.t = t;
        double[] q = quaternion(r);
        qw = q[0];
        qx = q[1];
        qy = q[2];
        qz = q[3];
        for (int l = 1; l <= 3; l++) {
            bands[l] = shBand(l, r);
        }
    }

    /**
     * The factor that makes the quaternion (any component order) unit length: 1 when it is within 1e-5 of unit
     * already, 0 when it has zero length (or is not a number). Squared in double, where no float quaternion's
     * length overflows (1e20 components) or underflows (1e-25 components) as it would in float.
     */
    static double unitScale(float a, float b, float c, float d) {
        double len2 = (double) a * a + (double) b * b + (double) c * c + (double) d * d;
        if (!(len2 > 0)) {
            return 0;
        }
        return Math.abs(len2 - 1) > 1e-5 ? 1 / Math.sqrt(len2) : 1;
    }

    /** Rotation part of a quaternion (w x y z) from a proper rotation matrix (Shepperd's method). */
    static double[] quaternion(double[][] m) {
        double tr = m[0][0] + m[1][1] + m[2][2];
        double w, x, y, z;
        if (tr > 0) {
            double s = Math.sqrt(tr + 1) * 2;
            w = 0.25 * s;
            x = (m[2][1] - m[1][2]) / s;
            y = (m[0][2] - m[2][0]) / s;
            z = (m[1][0] - m[0][1]) / s;
        } else if (m[0][0] > m[1][1] && m[0][0] > m[2][2]) {
            double s = Math.sqrt(1 + m[0][0] - m[1][1] - m[2][2]) * 2;
            w = (m[2][1] - m[1][2]) / s;
            x = 0.25 * s;
            y = (m[0][1] + m[1][0]) / s;
            z = (m[0][2] + m[2][0]) / s;
        } else if (m[1][1] > m[2][2]) {
            double s = Math.sqrt(1 + m[1][1] - m[0][0] - m[2][2]) * 2;
            w = (m[0][2] - m[2][0]) / s;
            x = (m[0][1] + m[1][0]) / s;
            y = 0.25 * s;
            z = (m[1][2] + m[2][1]) / s;
        } else {
            double s = Math.sqrt(1 + m[2][2] - m[0][0] - m[1][1]) * 2;
            w = (m[1][0] - m[0][1]) / s;
            x = (m[0][2] + m[2][0]) / s;
            y = (m[1][2] + m[2][1]) / s;
            z = 0.25 * s;
        }
        return new double[] {w, x, y, z};
    }

    /** The 3DGS real SH basis of band l (without the shared sign/constant conventions mattering). */
    static double[] basis(int l, double x, double y, double z) {
        return switch (l) {
            case 1 -> new double[] {-0.4886025119029199 * y, 0.4886025119029199 * z, -0.4886025119029199 * x};
            case 2 -> new double[] {
                1.0925484305920792 * x * y,
                -1.0925484305920792 * y * z,
                0.31539156525252005 * (2 * z * z - x * x - y * y),
                -1.0925484305920792 * x * z,
                0.5462742152960396 * (x * x - y * y)};
            case 3 -> new double[] {
                -0.5900435899266435 * y * (3 * x * x - y * y),
                2.890611442640554 * x * y * z,
                -0.4570457994644658 * y * (4 * z * z - x * x - y * y),
                0.3731763325901154 * z * (2 * z * z - 3 * x * x - 3 * y * y),
                -0.4570457994644658 * x * (4 * z * z - x * x - y * y),
                1.445305721320277 * z * (x * x - y * y),
                -0.5900435899266435 * x * (x * x - 3 * y * y)};
            default -> throw new IllegalArgumentException("band " + l);
        };
    }

    /** D (rows: new coefficient, columns: old) for band l under rotation r. */
    static double[][] shBand(int l, double[][] r) {
        int n = 2 * l + 1;
        double[][] dirs = directions();
        double[][] ata = new double[n][n];
        double[][] atb = new double[n][n];
        for (double[] d : dirs) {
            double[] a = basis(l, d[0], d[1], d[2]);
            // R^T d
            double x = r[0][0] * d[0] + r[1][0] * d[1] + r[2][0] * d[2];
            double y = r[0][1] * d[0] + r[1][1] * d[1] + r[2][1] * d[2];
            double z = r[0][2] * d[0] + r[1][2] * d[1] + r[2][2] * d[2];
            double[] b = basis(l, x, y, z);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    ata[i][j] += a[i] * a[j];
                    atb[i][j] += a[i] * b[j];
                }
            }
        }
        return solve(ata, atb);
    }

    private static double[][] directions() {
        int n = 26;
        double[][] d = new double[n][];
        double golden = Math.PI * (3 - Math.sqrt(5));
        for (int i = 0; i < n; i++) {
            double y = 1 - (i + 0.5) * 2.0 / n;
            double rad = Math.sqrt(1 - y * y);
            double th = golden * i;
            d[i] = new double[] {Math.cos(th) * rad, y, Math.sin(th) * rad};
        }
        return d;
    }

    /** Solves A X = B by Gauss-Jordan elimination with partial pivoting. */
    private static double[][] solve(double[][] a, double[][] b) {
        int n = a.length;
        for (int col = 0; col < n; col++) {
            int piv = col;
            for (int i = col + 1; i < n; i++) {
                if (Math.abs(a[i][col]) > Math.abs(a[piv][col])) {
                    piv = i;
                }
            }
            double[] tmp = a[col];
            a[col] = a[piv];
            a[piv] = tmp;
            tmp = b[col];
            b[col] = b[piv];
            b[piv] = tmp;
            double p = a[col][col];
            for (int j = 0; j < n; j++) {
                a[col][j] /= p;
                b[col][j] /= p;
            }
            for (int i = 0; i < n; i++) {
                if (i != col && a[i][col] != 0) {
                    double f = a[i][col];
                    for (int j = 0; j < n; j++) {
                        a[i][j] -= f * a[col][j];
                        b[i][j] -= f * b[col][j];
                    }
                }
            }
        }
        return b;
    }

    /** Applies the transform to rows {@code 0..count-1} (degree from {@code layout}). */
    void apply(float[] rows, int stride, int count, SplatLayout layout) {
        int per = layout.restPerChannel();
        double logScale = Math.log(scale);
        double[] tmp = new double[7];
        for (int i = 0, o = 0; i < count; i++, o += stride) {
            double x = rows[o], y = rows[o + 1], z = rows[o + 2];
            rows[o] = (float) (scale * (r[0][0] * x + r[0][1] * y + r[0][2] * z) + t[0]);
            rows[o + 1] = (float) (scale * (r[1][0] * x + r[1][1] * y + r[1][2] * z) + t[1]);
            rows[o + 2] = (float) (scale * (r[2][0] * x + r[2][1] * y + r[2][2] * z) + t[2]);
            for (int k = 0; k < 3; k++) {
                rows[o + SplatLayout.SCALE_0 + k] += (float) logScale;
            }
            double w = rows[o + SplatLayout.ROT_W], a = rows[o + SplatLayout.ROT_X], b = rows[o + SplatLayout.ROT_Y],
                    c = rows[o + SplatLayout.ROT_Z];
            rows[o + SplatLayout.ROT_W] = (float) (qw * w - qx * a - qy * b - qz * c);
            rows[o + SplatLayout.ROT_X] = (float) (qw * a + qx * w + qy * c - qz * b);
            rows[o + SplatLayout.ROT_Y] = (float) (qw * b - qx * c + qy * w + qz * a);
            rows[o + SplatLayout.ROT_Z] = (float) (qw * c + qx * b - qy * a + qz * w);
            int start = 0;
            for (int l = 1; l <= 3 && start < per; l++) {
                int n = 2 * l + 1;
                double[][] d = bands[l];
                for (int ch = 0; ch < 3; ch++) {
                    int base = o + SplatLayout.REST + ch * per + start;
                    for (int j = 0; j < n; j++) {
                        tmp[j] = rows[base + j];
                    }
                    for (int k = 0; k < n; k++) {
                        double s = 0;
                        for (int j = 0; j < n; j++) {
                            s += d[k][j] * tmp[j];
                        }
                        rows[base + k] = (float) s;
                    }
                }
                start += n;
            }
        }
    }
}
