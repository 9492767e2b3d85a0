package dev.vsa.core.transform;

/**
 * Rotation matrices for real spherical-harmonic coefficients in the basis the 3DGS renderer evaluates
 * (graphdeco-inria {@code forward.cu computeColorFromSH}: constants and signs below). Each band l maps to
 * itself under rotation, so its (2l+1)x(2l+1) matrix M satisfies f'(d) = f(R^T d) for f = sum c_m Y_m,
 * f' = sum (M c)_m Y_m. M is found by least squares over fixed sample directions, which is exact for a
 * band-limited function and needs no sign or ordering convention beyond the basis itself.
 */
final class ShRotation {
    private static final double C1 = 0.4886025119029199;
    private static final double[] C2 = {1.0925484305920792, -1.0925484305920792, 0.31539156525252005,
            -1.0925484305920792, 0.5462742152960396};
    private static final double[] C3 = {-0.5900435899266435, 2.890611442640554, -0.4570457994644658,
            0.3731763325901154, -0.4570457994644658, 1.445305721320277, -0.5900435899266435};
    private static final int SAMPLES = 40;

    private ShRotation() {
    }

    /** The basis functions of band {@code l} (1..3) at unit direction (x, y, z), in file coefficient order. */
    static void basis(int l, double x, double y, double z, double[] out) {
        switch (l) {
            case 1 -> {
                out[0] = -C1 * y;
                out[1] = C1 * z;
                out[2] = -C1 * x;
            }
            case 2 -> {
                out[0] = C2[0] * x * y;
                out[1] = C2[1] * y * z;
                out[2] = C2[2] * (2 * z * z - x * x - y * y);
                out[3] = C2[3] * x * z;
                out[4] = C2[4] * (x * x - y * y);
            }
            case 3 -> {
                double xx = x * x, yy = y * y, zz = z * z;
                out[0] = C3[0] * y * (3 * xx - yy);
                out[1] = C3[1] * x * y * z;
                out[2] = C3[2] * y * (4 * zz - xx - yy);
                out[3] = C3[3] * z * (2 * zz - 3 * xx - 3 * yy);
                out[4] = C3[4] * x * (4 * zz - xx - yy);
                out[5] = C3[5] * z * (xx - yy);
                out[6] = C3[6] * x * (xx - 3 * yy);
            }
            default -> throw new IllegalStateException("band " + l);
        }
    }

    /**
     * The matrix of band {@code l} for rotation matrix {@code r} (row-major 3x3), row-major (2l+1)^2:
     * new[i] = sum_j m[i*(2l+1)+j] * old[j].
     */
    static double[] matrix(int l, double[] r) {
        int n = 2 * l + 1;
        double[][] a = new double[SAMPLES][n];
        double[][] b = new double[SAMPLES][n];
        for (int s = 0; s < SAMPLES; s++) {
            // Fibonacci sphere: well spread, deterministic
            double zz = 1 - (2.0 * s + 1) / SAMPLES;
            double rad = Math.sqrt(1 - zz * zz);
            double phi = s * Math.PI * (3 - Math.sqrt(5));
            double x = rad * Math.cos(phi), y = rad * Math.sin(phi);
            basis(l, x, y, zz, a[s]);
            // R^T d
            double tx = r[0] * x + r[3] * y + r[6] * zz;
            double ty = r[1] * x + r[4] * y + r[7] * zz;
            double tz = r[2] * x + r[5] * y + r[8] * zz;
            basis(l, tx, ty, tz, b[s]);
        }
        // Solve (A^T A) M = A^T B
        double[][] ata = new double[n][n];
        double[][] atb = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s1 = 0, s2 = 0;
                for (int s = 0; s < SAMPLES; s++) {
                    s1 += a[s][i] * a[s][j];
                    s2 += a[s][i] * b[s][j];
                }
                ata[i][j] = s1;
                atb[i][j] = s2;
            }
        }
        // Gauss-Jordan with partial pivoting
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int i = c + 1; i < n; i++) {
                if (Math.abs(ata[i][c]) > Math.abs(ata[p][c])) {
                    p = i;
                }
            }
            double[] t = ata[c];
            ata[c] = ata[p];
            ata[p] = t;
            t = atb[c];
            atb[c] = atb[p];
            atb[p] = t;
            double d = ata[c][c];
            for (int j = 0; j < n; j++) {
                ata[c][j] /= d;
                atb[c][j] /= d;
            }
            for (int i = 0; i < n; i++) {
                if (i != c) {
                    double f = ata[i][c];
                    if (f != 0) {
                        for (int j = 0; j < n; j++) {
                            ata[i][j] -= f * ata[c][j];
                            atb[i][j] -= f * atb[c][j];
                        }
                    }
                }
            }
        }
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(atb[i], 0, m, i * n, n);
        }
        return m;
    }

    /** Row-major rotation matrix of the unit quaternion (w, x, y, z). */
    static double[] rotationMatrix(double w, double x, double y, double z) {
        return new double[] {
            1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
            2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
            2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)};
    }

    /**
     * The unit quaternion (w, x, y, z) of a row-major rotation matrix (determinant +1), w >= 0 where it is not 0
     * (Shepperd's method: the largest of w, x, y, z is found from the trace first, for accuracy).
     */
    static double[] quaternion(double[] m) {
        double tr = m[0] + m[4] + m[8];
        double w, x, y, z;
        if (tr > 0) {
            double s = Math.sqrt(tr + 1) * 2;
            w = s / 4;
            x = (m[7] - m[5]) / s;
            y = (m[2] - m[6]) / s;
            z = (m[3] - m[1]) / s;
        } else if (m[0] > m[4] && m[0] > m[8]) {
            double s = Math.sqrt(1 + m[0] - m[4] - m[8]) * 2;
            w = (m[7] - m[5]) / s;
            x = s / 4;
            y = (m[1] + m[3]) / s;
            z = (m[2] + m[6]) / s;
        } else if (m[4] > m[8]) {
            double s = Math.sqrt(1 + m[4] - m[0] - m[8]) * 2;
            w = (m[2] - m[6]) / s;
            x = (m[1] + m[3]) / s;
            y = s / 4;
            z = (m[5] + m[7]) / s;
        } else {
            double s = Math.sqrt(1 + m[8] - m[0] - m[4]) * 2;
            w = (m[3] - m[1]) / s;
            x = (m[2] + m[6]) / s;
            y = (m[5] + m[7]) / s;
            z = s / 4;
        }
        double sign = w < 0 ? -1 : 1;
        return new double[] {sign * w, sign * x, sign * y, sign * z};
    }
}
