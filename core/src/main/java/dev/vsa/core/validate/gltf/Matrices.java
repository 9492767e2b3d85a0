package dev.vsa.core.validate.gltf;

/**
 * Column-major 4x4 matrix helpers: identity test and the "decomposable to TRS" test (decompose, recompose,
 * compare), following the arithmetic of the Khronos validator's vector_math so verdicts match.
 */
final class Matrices {
    private Matrices() {
    }

    static boolean isIdentity(double[] m) {
        for (int i = 0; i < 16; i++) {
            if (m[i] != ((i % 5 == 0) ? 1.0 : 0.0)) {
                return false;
            }
        }
        return true;
    }

    static double determinant(double[] m) {
        double d0 = m[0] * m[5] - m[1] * m[4];
        double d1 = m[0] * m[6] - m[2] * m[4];
        double d2 = m[0] * m[7] - m[3] * m[4];
        double d3 = m[1] * m[6] - m[2] * m[5];
        double d4 = m[1] * m[7] - m[3] * m[5];
        double d5 = m[2] * m[7] - m[3] * m[6];
        double d6 = m[8] * m[13] - m[9] * m[12];
        double d7 = m[8] * m[14] - m[10] * m[12];
        double d8 = m[8] * m[15] - m[11] * m[12];
        double d9 = m[9] * m[14] - m[10] * m[13];
        double d10 = m[9] * m[15] - m[11] * m[13];
        double d11 = m[10] * m[15] - m[11] * m[14];
        return d0 * d11 - d1 * d10 + d2 * d9 + d3 * d8 - d4 * d7 + d5 * d6;
    }

    static boolean isTrsDecomposable(double[] m) {
        if (m[3] != 0 || m[7] != 0 || m[11] != 0 || m[15] != 1) {
            return false;
        }
        double det = determinant(m);
        if (det == 0) {
            return false;
        }
        double sx = Math.sqrt(m[0] * m[0] + m[1] * m[1] + m[2] * m[2]);
        double sy = Math.sqrt(m[4] * m[4] + m[5] * m[5] + m[6] * m[6]);
        double sz = Math.sqrt(m[8] * m[8] + m[9] * m[9] + m[10] * m[10]);
        if (det < 0) {
            sx = -sx;
        }
        double[] r = {m[0] / sx, m[1] / sx, m[2] / sx, m[4] / sy, m[5] / sy, m[6] / sy, m[8] / sz, m[9] / sz, m[10] / sz};
        double[] q = quaternion(r);
        double x = q[0], y = q[1], z = q[2], w = q[3];
        double x2 = x + x, y2 = y + y, z2 = z + z;
        double xx = x * x2, xy = x * y2, xz = x * z2, yy = y * y2, yz = y * z2, zz = z * z2;
        double wx = w * x2, wy = w * y2, wz = w * z2;
        double[] c = new double[16];
        c[0] = (1.0 - (yy + zz)) * sx;
        c[1] = (xy + wz) * sx;
        c[2] = (xz - wy) * sx;
        c[4] = (xy - wz) * sy;
        c[5] = (1.0 - (xx + zz)) * sy;
        c[6] = (yz + wx) * sy;
        c[8] = (xz + wy) * sz;
        c[9] = (yz - wx) * sz;
        c[10] = (1.0 - (xx + yy)) * sz;
        c[12] = m[12];
        c[13] = m[13];
        c[14] = m[14];
        c[15] = 1.0;
        return Math.abs(infinityNorm(c) - infinityNorm(m)) < 0.00005;
    }

    /** Quaternion (x, y, z, w) of a column-major 3x3 rotation matrix. */
    private static double[] quaternion(double[] r) {
        double[] q = new double[4];
        double trace = r[0] + r[4] + r[8];
        if (trace > 0.0) {
            double s = Math.sqrt(trace + 1.0);
            q[3] = s * 0.5;
            s = 0.5 / s;
            q[0] = (r[5] - r[7]) * s;
            q[1] = (r[6] - r[2]) * s;
            q[2] = (r[1] - r[3]) * s;
        } else {
            int i = r[0] < r[4] ? (r[4] < r[8] ? 2 : 1) : (r[0] < r[8] ? 2 : 0);
            int j = (i + 1) % 3;
            int k = (i + 2) % 3;
            double s = Math.sqrt(r[i * 3 + i] - r[j * 3 + j] - r[k * 3 + k] + 1.0);
            q[i] = s * 0.5;
            s = 0.5 / s;
            q[3] = (r[j * 3 + k] - r[k * 3 + j]) * s;
            q[j] = (r[i * 3 + j] + r[j * 3 + i]) * s;
            q[k] = (r[i * 3 + k] + r[k * 3 + i]) * s;
        }
        return q;
    }

    private static double infinityNorm(double[] m) {
        double norm = 0;
        for (int row = 0; row < 4; row++) {
            double s = Math.abs(m[row]) + Math.abs(m[4 + row]) + Math.abs(m[8 + row]) + Math.abs(m[12 + row]);
            norm = Math.max(norm, s);
        }
        return norm;
    }
}
