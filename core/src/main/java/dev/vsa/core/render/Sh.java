package dev.vsa.core.render;

/**
 * Real spherical harmonics up to degree 3 with the basis constants of the 3D Gaussian Splatting reference code
 * (graphdeco-inria, {@code utils/sh_utils.py}): colour = 0.5 + sum_k C_k Y_k(dir) sh_k, clamped at 0.
 */
final class Sh {
    static final float C0 = 0.28209479177387814f;
    static final float C1 = 0.4886025119029199f;
    static final float C2_0 = 1.0925484305920792f, C2_1 = -1.0925484305920792f, C2_2 = 0.31539156525252005f,
            C2_3 = -1.0925484305920792f, C2_4 = 0.5462742152960396f;
    static final float C3_0 = -0.5900435899266435f, C3_1 = 2.890611442640554f, C3_2 = -0.4570457994644658f,
            C3_3 = 0.3731763325901154f, C3_4 = -0.4570457994644658f, C3_5 = 1.445305721320277f,
            C3_6 = -0.5900435899266435f;

    private Sh() {
    }

    /**
     * Fills {@code basis[0..restPerChannel-1]} with the degree 1..{@code degree} basis values for the unit
     * direction (x, y, z), in the order of the f_rest coefficients (1..15).
     */
    static void basis(int degree, float x, float y, float z, float[] basis) {
        if (degree < 1) {
            return;
        }
        basis[0] = -C1 * y;
        basis[1] = C1 * z;
        basis[2] = -C1 * x;
        if (degree < 2) {
            return;
        }
        float xx = x * x, yy = y * y, zz = z * z, xy = x * y, yz = y * z, xz = x * z;
        basis[3] = C2_0 * xy;
        basis[4] = C2_1 * yz;
        basis[5] = C2_2 * (2 * zz - xx - yy);
        basis[6] = C2_3 * xz;
        basis[7] = C2_4 * (xx - yy);
        if (degree < 3) {
            return;
        }
        basis[8] = C3_0 * y * (3 * xx - yy);
        basis[9] = C3_1 * xy * z;
        basis[10] = C3_2 * y * (4 * zz - xx - yy);
        basis[11] = C3_3 * z * (2 * zz - 3 * xx - 3 * yy);
        basis[12] = C3_4 * x * (4 * zz - xx - yy);
        basis[13] = C3_5 * z * (xx - yy);
        basis[14] = C3_6 * x * (xx - 3 * yy);
    }
}
