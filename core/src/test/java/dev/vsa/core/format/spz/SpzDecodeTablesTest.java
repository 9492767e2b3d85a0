package dev.vsa.core.format.spz;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reader's per-byte lookup tables hold exactly what the decoders compute. */
class SpzDecodeTablesTest {
    @Test
    void tables_sameFloatBitsAsDecoders() {
        for (int b = 0; b < 256; b++) {
            assertEquals(Float.floatToRawIntBits(SpzCoding.decodeScale(b)), Float.floatToRawIntBits(SpzReader.SCALE[b]));
            assertEquals(Float.floatToRawIntBits(SpzCoding.decodeColor(b)), Float.floatToRawIntBits(SpzReader.COLOR[b]));
            assertEquals(Float.floatToRawIntBits(SpzCoding.decodeAlpha(b)), Float.floatToRawIntBits(SpzReader.ALPHA[b]));
            assertEquals(Float.floatToRawIntBits(SpzCoding.decodeSh(b)), Float.floatToRawIntBits(SpzReader.SH[b]));
        }
    }

    /** The table-driven smallest-three unpacking gives the reference's loop's float bits (every largest, both signs). */
    @Test
    void unpackSmallestThree_sameFloatBitsAsReferenceLoop() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        float[] got = new float[4], want = new float[4];
        for (int i = 0; i < 1_000_000; i++) {
            int comp = i < 4096 ? (i >>> 10) << 30 | (i & 1023) * 0x100401 : random.nextInt();
            SpzCoding.unpackSmallestThree(comp, got);
            referenceUnpack(comp, want);
            for (int c = 0; c < 4; c++) {
                assertEquals(Float.floatToRawIntBits(want[c]), Float.floatToRawIntBits(got[c]), Integer.toHexString(comp) + " component " + c);
            }
        }
    }

    /** load-spz.cc's unpackQuaternionSmallestThree, as vsa had it before the table. */
    private static void referenceUnpack(int comp, float[] out) {
        float[] q = new float[4];
        int largest = comp >>> 30;
        float sum = 0;
        for (int i = 3; i >= 0; i--) {
            if (i != largest) {
                int mag = comp & 511;
                int neg = (comp >>> 9) & 1;
                comp >>>= 10;
                float v = SpzCoding.SQRT1_2 * mag / 511.0f;
                q[i] = neg == 1 ? -v : v;
                sum += q[i] * q[i];
            }
        }
        q[largest] = (float) Math.sqrt(Math.max(0f, 1f - sum));
        out[0] = q[3];
        out[1] = q[0];
        out[2] = q[1];
        out[3] = q[2];
    }
}
