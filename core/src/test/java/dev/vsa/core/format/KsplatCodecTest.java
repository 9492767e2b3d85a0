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
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * vsa's writer and reader, every level and SH degree 0-2: counts, layout, bytes a splat (GaussianSplats3D's
     * table: level 0 44/80/140, level 1 24/42/72, level 2 24/33/48) and the error each level's encoding allows.
     * Rows are compared as a set (the writer puts full buckets first), matched by their order after the same sort.
     */
    @ParameterizedTest(name = "level {0}, SH degree {1}: {2} bytes a splat")
    @CsvSource({"0,0,44", "0,1,80", "0,2,140", "1,0,24", "1,1,42", "1,2,72", "2,0,24", "2,1,33", "2,2,48"})
    void write_thenRead_roundTrips(int level, int degree, int bytesPerSplat) throws IOException {
        int n = 3000;
        SplatBatch rows = SyntheticSplats.generate(SplatLayout.of(degree), n, 11 + level);
        Path in = dir.resolve("in.ply");
        try (dev.vsa.core.splat.SplatWriter w = Splats.create(in, SplatFormat.PLY, rows.layout(),
                dev.vsa.core.splat.WriteOptions.DEFAULTS)) {
            w.write(rows);
            w.finish();
        }
        Path out = dir.resolve("out.ksplat");
        dev.vsa.core.splat.ConvertResult r = Splats.convert(in, out, new dev.vsa.core.splat.ConvertOptions(null,
                dev.vsa.core.splat.WriteOptions.DEFAULTS.withKsplatLevel(level), java.util.List.of()), null);
        assertEquals(n, r.splatsOut());
        try (SplatReader back = Splats.open(out)) {
            assertEquals(SplatFormat.KSPLAT, back.info().format());
            assertEquals("level " + level, back.info().variant());
            assertEquals(n, back.info().count());
            assertEquals(degree, back.info().layout().shDegree());
        }
        long buckets = Files.size(out) - 4096 - 1024 - (long) n * bytesPerSplat; // 12 per bucket, 4 per partial one
        assertTrue(level == 0 ? buckets == 0 : buckets >= 12 && buckets <= 16L * n, "bucket bytes " + buckets);
        SplatBatch got = Fixtures.readAll(out);
        SplatBatch want = matched(Fixtures.readAll(in), got);
        // positions: level 0 exact, else 2.5 / 32767 per step (half a step of error); SH at level 2: 8 bits over
        // the file's range (synthetic SH spans 1.2, so half a step is 0.0024); half floats keep 11 bits
        double shRange = 1.2;
        Tolerances t = switch (level) {
            case 0 -> new Tolerances(0, 1e-6, 1e-6, 0.5 / 255 + 1e-6, 0.5 / 255 / 0.28209479 + 1e-5, 0);
            case 1 -> new Tolerances(2.5 / 32767 / 2 + 5e-6, 1e-3, 1e-5, 0.5 / 255 + 1e-6, 0.5 / 255 / 0.28209479 + 1e-5, 3e-4);
            default -> new Tolerances(2.5 / 32767 / 2 + 5e-6, 1e-3, 1e-5, 0.5 / 255 + 1e-6, 0.5 / 255 / 0.28209479 + 1e-5,
                    shRange / 255 / 2 + 1e-5);
        };
        t.check(want, got);
    }

    @Test
    void write_shDegree3_keepsDegree2AndSaysSo() throws IOException {
        SplatBatch rows = SyntheticSplats.generate(SplatLayout.of(3), 100, 3);
        Path in = dir.resolve("in3.ply");
        try (dev.vsa.core.splat.SplatWriter w = Splats.create(in, SplatFormat.PLY, rows.layout(),
                dev.vsa.core.splat.WriteOptions.DEFAULTS)) {
            w.write(rows);
            w.finish();
        }
        dev.vsa.core.splat.ConvertResult r = Splats.convert(in, dir.resolve("out3.ksplat"),
                dev.vsa.core.splat.ConvertOptions.DEFAULTS, null);
        assertEquals(2, r.shDegreeOut());
        assertTrue(r.losses().get(0).startsWith("SH degree 3 -> 2"), r.losses().toString());
        try (SplatReader back = Splats.open(dir.resolve("out3.ksplat"))) {
            assertEquals(2, back.info().layout().shDegree());
        }
    }

    /** A spread-out scene: buckets close at the 5-unit cube, so far-apart splats keep 16-bit precision. */
    @Test
    void write_spreadScene_bucketsKeepPrecision() throws IOException {
        SplatBatch rows = SyntheticSplats.generate(SplatLayout.of(0), 2000, 5);
        for (int i = 0; i < 2000; i++) {
            rows.set(i, 0, rows.get(i, 0) * 300); // a 600-unit-wide scene
        }
        Path in = dir.resolve("wide.ply");
        try (dev.vsa.core.splat.SplatWriter w = Splats.create(in, SplatFormat.PLY, rows.layout(),
                dev.vsa.core.splat.WriteOptions.DEFAULTS)) {
            w.write(rows);
            w.finish();
        }
        Splats.convert(in, dir.resolve("wide.ksplat"), dev.vsa.core.splat.ConvertOptions.DEFAULTS, null);
        SplatBatch got = Fixtures.readAll(dir.resolve("wide.ksplat"));
        SplatBatch want = matched(Fixtures.readAll(in), got);
        for (int i = 0; i < 2000; i++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(want.get(i, c), got.get(i, c), 2.5 / 32767 / 2 + 4 * Math.ulp(want.get(i, c)));
            }
        }
    }

    /** {@code want}'s rows reordered to match {@code got}'s, each by nearest position (every row used once). */
    static SplatBatch matched(SplatBatch want, SplatBatch got) {
        assertEquals(want.size(), got.size(), "row count");
        SplatBatch out = new SplatBatch(want.layout(), Math.max(1, want.size()));
        boolean[] used = new boolean[want.size()];
        for (int g = 0; g < got.size(); g++) {
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int w = 0; w < want.size(); w++) {
                if (!used[w]) {
                    double dx = want.get(w, 0) - got.get(g, 0), dy = want.get(w, 1) - got.get(g, 1), dz = want.get(w, 2) - got.get(g, 2);
                    double d = dx * dx + dy * dy + dz * dz;
                    if (d < bestD) {
                        bestD = d;
                        best = w;
                    }
                }
            }
            used[best] = true;
            System.arraycopy(want.array(), best * want.stride(), out.array(), g * want.stride(), want.stride());
        }
        out.setSize(want.size());
        return out;
    }
}
