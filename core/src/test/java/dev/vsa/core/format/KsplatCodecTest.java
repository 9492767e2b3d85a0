package dev.vsa.core.format;

import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.testing.SyntheticSplats;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.Splats;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KsplatCodecTest {
    @Test
    void read_minimalFixture_matchesSplatTransform() throws IOException {
        try (SplatReader r = Splats.open(Fixtures.splat("minimal.ksplat"))) {
            assertEquals(SplatFormat.KSPLAT, r.info().format());
            assertEquals(4, r.info().count());
            assertEquals("level 0", r.info().variant());
        }
        SplatBatch ours = Fixtures.readAll(Fixtures.splat("minimal.ksplat"));
        SplatBatch theirs = Fixtures.readAll(Fixtures.splat("st-minimal-ksplat.ply"));
        new Tolerances(0, 1e-6, 1e-6, 1e-6, 1e-5, 0).check(theirs, ours);
    }

    @TempDir
    Path dir;

    /**
     * Encodes rows as GaussianSplats3D lays them out (see KsplatReader's Javadoc): one section, buckets of
     * {@code bucketSize} centred on the first splat of each, the last bucket partially filled.
     */
    static byte[] encode(SplatBatch b, int level, int bucketSize) {
        int n = b.size();
        int degree = b.layout().shDegree();
        int per = b.layout().restPerChannel();
        int shCount = 3 * per;
        int bps = level == 0 ? 44 + 4 * shCount : 24 + (level == 1 ? 2 : 1) * shCount;
        int full = n / bucketSize, partial = n % bucketSize == 0 ? 0 : 1, buckets = full + partial;
        float block = 40f;
        int range = 32767;
        int bucketBytes = 4 * partial + 12 * buckets;
        ByteBuffer f = ByteBuffer.allocate(4096 + 1024 + bucketBytes + n * bps).order(ByteOrder.LITTLE_ENDIAN);
        f.put(0, (byte) 0).put(1, (byte) 1).putInt(4, 1).putInt(8, 1).putInt(12, n).putInt(16, n).putShort(20, (short) level);
        f.putFloat(36, -1.5f).putFloat(40, 1.5f);
        int sh = 4096;
        f.putInt(sh, n).putInt(sh + 4, n).putInt(sh + 8, bucketSize).putInt(sh + 12, buckets).putFloat(sh + 16, block)
                .putShort(sh + 20, (short) 12).putInt(sh + 24, range).putInt(sh + 32, full).putInt(sh + 36, partial)
                .putShort(sh + 40, (short) degree);
        int base = 4096 + 1024;
        if (partial == 1) {
            f.putInt(base, n % bucketSize);
        }
        for (int k = 0; k < buckets; k++) {
            for (int c = 0; c < 3; c++) {
                f.putFloat(base + 4 * partial + 12 * k + 4 * c, b.get(k * bucketSize, c));
            }
        }
        int data = base + bucketBytes;
        for (int i = 0; i < n; i++) {
            int p = data + i * bps;
            int bucket = i / bucketSize;
            for (int c = 0; c < 3; c++) {
                float scale = (float) Math.exp(b.get(i, SplatLayout.SCALE_0 + c));
                if (level == 0) {
                    f.putFloat(p + 4 * c, b.get(i, c)).putFloat(p + 12 + 4 * c, scale);
                } else {
                    float rel = b.get(i, c) - b.get(bucket * bucketSize, c);
                    f.putShort(p + 2 * c, (short) Math.round(rel / (block / 2 / range) + range));
                    f.putShort(p + 6 + 2 * c, Float.floatToFloat16(scale));
                }
            }
            for (int c = 0; c < 4; c++) {
                float q = b.get(i, SplatLayout.ROT_W + c);
                if (level == 0) {
                    f.putFloat(p + 24 + 4 * c, q);
                } else {
                    f.putShort(p + 12 + 2 * c, Float.floatToFloat16(q));
                }
            }
            int col = p + (level == 0 ? 40 : 20);
            for (int c = 0; c < 3; c++) {
                f.put(col + c, (byte) Math.round((0.5 + 0.28209479177387814 * b.get(i, SplatLayout.DC_0 + c)) * 255));
            }
            f.put(col + 3, (byte) Math.round(255 / (1 + Math.exp(-b.get(i, SplatLayout.OPACITY)))));
            int k = 0;
            for (int l = 1; l <= degree; l++) {
                for (int c = 0; c < 3; c++) {
                    for (int j = 0; j < 2 * l + 1; j++, k++) {
                        float v = b.get(i, SplatLayout.REST + c * per + l * l - 1 + j);
                        switch (level) {
                            case 0 -> f.putFloat(col + 4 + 4 * k, v);
                            case 1 -> f.putShort(col + 4 + 2 * k, Float.floatToFloat16(v));
                            default -> f.put(col + 4 + k, (byte) Math.round((v + 1.5) / 3 * 255));
                        }
                    }
                }
            }
        }
        return f.array();
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "0, 2", "1, 1", "1, 2", "2, 2", "2, 0"})
    void read_eachLevelAndDegree_withinItsQuantization(int level, int degree) throws IOException {
        SplatBatch b = SyntheticSplats.generate(SplatLayout.of(degree), 1000, 40 + level);
        // keep splats near their bucket's first one so u16 offsets in a 40-unit block hold them
        for (int i = 0; i < b.size(); i++) {
            for (int c = 0; c < 3; c++) {
                b.set(i, c, b.get(i, c) / 1.2f);
            }
        }
        Path file = dir.resolve("t.ksplat");
        Files.write(file, encode(b, level, 256));
        SplatBatch got = Fixtures.readAll(file);
        Tolerances t = level == 0
                ? new Tolerances(0, 1e-6, 1e-6, 0.5 / 255 + 1e-6, 0.5 / 255 / 0.282 + 1e-5, 0)
                : new Tolerances(20.0 / 32767 + 1e-5, 1e-3, 2e-6, 0.5 / 255 + 1e-6, 0.5 / 255 / 0.282 + 1e-5,
                        level == 1 ? 1e-3 : 1.5 / 255 + 1e-6);
        t.check(b, got);
    }
}
