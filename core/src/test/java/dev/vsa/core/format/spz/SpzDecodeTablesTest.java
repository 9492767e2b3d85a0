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
}
