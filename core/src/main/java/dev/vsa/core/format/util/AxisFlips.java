package dev.vsa.core.format.util;

import dev.vsa.core.splat.SplatLayout;

/**
 * Changing the frame of splat rows by negating axes (e.g. an SPZ declared RUB is read into the 3DGS PLY's RDF by
 * negating y and z).
 * Internal to vsa's codecs.
 *
 * <p>A negated axis changes the sign of every spherical-harmonic basis function that is odd in that axis.
 * With the real SH basis of the 3DGS code (and of KHR_gaussian_splatting's appendix), coefficient {@code k}
 * of a channel (k = 0 for degree 1, m = -1) is odd in:
 * degree 1: y, z, x; degree 2: xy, yz, -, xz, -; degree 3: y, xyz, y, z, x, z, x.
 */
public final class AxisFlips {
    private AxisFlips() {
    }

    /**
     * Sign of each of the 15 higher SH coefficients of one channel when axes are negated.
     *
     * @param sx -1 to negate x, else 1 (likewise sy, sz)
     */
    public static float[] shSigns(float sx, float sy, float sz) {
        return new float[] {
            sy, sz, sx,
            sx * sy, sy * sz, 1f, sx * sz, 1f,
            sy, sx * sy * sz, sy, sz, sx, sz, sx,
        };
    }

    /**
     * Negates axes of rows {@code 0..count-1} in place: positions, the rotation by conjugation (the axis
     * components of the quaternion take the sign of the product of the two other axes' flips, w is kept),
     * and the SH coefficients. Scales, opacity, colour and extras are unchanged.
     */
    public static void apply(float[] rows, int stride, int count, SplatLayout layout, float sx, float sy, float sz) {
        apply(rows, stride, count, layout.restPerChannel(), SplatLayout.X, SplatLayout.ROT_W, SplatLayout.REST, sx, sy, sz);
    }

    /**
     * {@link #apply(float[], int, int, SplatLayout, float, float, float)} for rows laid out otherwise (PLY's order):
     * x y z at {@code atPos}, w x y z at {@code atRot}, {@code per} SH coefficients a channel, channel by channel,
     * from {@code atRest}.
     */
    public static void apply(float[] rows, int stride, int count, int per, int atPos, int atRot, int atRest,
                             float sx, float sy, float sz) {
        float qx = sy * sz, qy = sx * sz, qz = sx * sy;
        float[] sh = shSigns(sx, sy, sz);
        for (int r = 0, o = 0; r < count; r++, o += stride) {
            rows[o + atPos] *= sx;
            rows[o + atPos + 1] *= sy;
            rows[o + atPos + 2] *= sz;
            rows[o + atRot + 1] *= qx;
            rows[o + atRot + 2] *= qy;
            rows[o + atRot + 3] *= qz;
            for (int c = 0; c < 3; c++) {
                int base = o + atRest + c * per;
                for (int k = 0; k < per; k++) {
                    rows[base + k] *= sh[k];
                }
            }
        }
    }
}
