package dev.vsa.core.format.spz;

/**
 * SPZ's per-value quantization, as the nianticlabs/spz reference (load-spz.cc, splat-utils.h, commit 21715c3)
 * packs and unpacks it. Values on the vsa side follow {@link dev.vsa.core.splat.SplatLayout}'s conventions.
 */
final class SpzCoding {
    /** SPZ scales the SH DC term by this (not by SH C0) before mapping it to a byte around 127.5. */
    static final float COLOR_SCALE = 0.15f;
    static final float SQRT1_2 = 0.70710678118654752f;
    /** Bits the reference keeps for degree-1 SH coefficients and for degrees 2 and up. */
    static final int SH1_BITS = 5, SH_REST_BITS = 4;
    /** Alpha bytes 0 and 255 decode to the logit of these (finite), as splat-transform does. */
    private static final float ALPHA_EPS = 1e-6f;

    private SpzCoding() {
    }

    /**
     * C's {@code std::round}: half away from zero. Written without a branch on the sign (random signs, as SH
     * coefficients have, mispredict half the time; this was most of SPZ's encoding time); the same value for every
     * input but -0.0, which becomes -0.0 rather than 0.0 (every caller maps both to 0).
     */
    static double round(double x) {
        return Math.copySign(Math.floor(Math.abs(x) + 0.5), x);
    }

    static int toU8(double x) {
        double r = round(x);
        return r <= 0 ? 0 : r >= 255 ? 255 : (int) r;
    }

    static int encodeScale(float logScale) {
        return toU8((logScale + 10.0f) * 16.0f);
    }

    static float decodeScale(int b) {
        return b / 16.0f - 10.0f;
    }

    static int encodeAlpha(float logit) {
        return toU8(255.0f / (1.0f + (float) Math.exp(-logit)));
    }

    static float decodeAlpha(int b) {
        float a = Math.min(1 - ALPHA_EPS, Math.max(ALPHA_EPS, b / 255.0f));
        return (float) Math.log(a / (1 - a));
    }

    static int encodeColor(float dc) {
        return toU8(dc * (COLOR_SCALE * 255.0f) + 0.5f * 255.0f);
    }

    static float decodeColor(int b) {
        return (b / 255.0f - 0.5f) / COLOR_SCALE;
    }

    /**
     * Quantizes to 8 bits, then to the centre of a bucket of {@code bucket} steps (0 stays exact); {@code bucket} is
     * a power of two, so rounding down to its multiple is a mask (two's complement floors negatives too).
     */
    static int encodeSh(float x, int bucket) {
        int q = (int) round(x * 128.0f) + 128;
        q = (q + bucket / 2) & -bucket;
        return q < 0 ? 0 : Math.min(q, 255);
    }

    static float decodeSh(int b) {
        return (b - 128) / 128.0f;
    }

    /**
     * Packs a quaternion (w x y z, any length) as "smallest three": 2 bits for the index (in x y z w order) of
     * the largest component, then three 10-bit fields (sign + 9-bit magnitude scaled by 1/sqrt(1/2)).
     * {@code q} is scratch space of 4 floats.
     */
    static int packSmallestThree(float w, float x, float y, float z, float[] q) {
        double n = Math.sqrt((double) w * w + (double) x * x + (double) y * y + (double) z * z);
        if (n > 0) {
            q[0] = (float) (x / n);
            q[1] = (float) (y / n);
            q[2] = (float) (z / n);
            q[3] = (float) (w / n);
        } else {
            q[0] = 0;
            q[1] = 0;
            q[2] = 0;
            q[3] = 1;
        }
        int largest = 0;
        for (int i = 1; i < 4; i++) {
            if (Math.abs(q[i]) > Math.abs(q[largest])) {
                largest = i;
            }
        }
        int negate = q[largest] < 0 ? 1 : 0;
        int comp = largest;
        for (int i = 0; i < 4; i++) {
            if (i != largest) {
                int negbit = (q[i] < 0 ? 1 : 0) ^ negate;
                int mag = (int) (511.0f * (Math.abs(q[i]) / SQRT1_2) + 0.5f);
                comp = (comp << 10) | (negbit << 9) | Math.min(mag, 511);
            }
        }
        return comp;
    }

    /** A smallest-three component's value by its 10 bits (sign bit 9, magnitude 0-511), as the reference computes it. */
    static final float[] ROT_PART = new float[1024];

    static {
        for (int c = 0; c < 1024; c++) {
            float v = SQRT1_2 * (c & 511) / 511.0f;
            ROT_PART[c] = (c & 512) != 0 ? -v : v;
        }
    }

    /**
     * Unpacks {@link #packSmallestThree} into {@code out} as w x y z. The three stored components come highest index
     * first from the low bits; the largest is what makes the quaternion unit (its squares summed in that order).
     */
    static void unpackSmallestThree(int comp, float[] out) {
        int largest = comp >>> 30;
        float a = ROT_PART[comp & 1023], b = ROT_PART[comp >>> 10 & 1023], c = ROT_PART[comp >>> 20 & 1023];
        float l = (float) Math.sqrt(Math.max(0f, 1f - (a * a + b * b + c * c)));
        // q0 q1 q2 q3 are x y z w
        switch (largest) {
            case 3 -> set(out, l, c, b, a);
            case 2 -> set(out, a, c, b, l);
            case 1 -> set(out, a, c, l, b);
            default -> set(out, a, l, c, b);
        }
    }

    private static void set(float[] out, float w, float x, float y, float z) {
        out[0] = w;
        out[1] = x;
        out[2] = y;
        out[3] = z;
    }

    /** Unpacks a version 1/2 rotation: x y z as bytes ((v + 1) * 127.5), w derived (non-negative). */
    static void unpackFirstThree(int bx, int by, int bz, float[] out) {
        float x = bx / 127.5f - 1f, y = by / 127.5f - 1f, z = bz / 127.5f - 1f;
        out[0] = (float) Math.sqrt(Math.max(0f, 1f - (x * x + y * y + z * z)));
        out[1] = x;
        out[2] = y;
        out[3] = z;
    }

    /** IEEE half to float, for the positions of version 1 files. */
    static float halfToFloat(int h) {
        return Float.float16ToFloat((short) h);
    }
}
