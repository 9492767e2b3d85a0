package dev.vsa.core.format;

import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.testing.SyntheticSplats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CompressedPlyCodecTest {
    /**
     * Synthetic rows span [-10, 10) in x y z, [-6, 0) in log-scale, colour 0.5 +- 0.42: the chunk bounds are
     * about that wide, so half a quantization step is 20/2047/2, 6/1023/2, 0.85/255/2/C0; SH is truncated to
     * steps of 8/256; alpha to 1/255 (half a step); smallest-three rotations keep 1-|dot| well under 1e-5.
     */
    static final Tolerances QUANTIZED = new Tolerances(20.0 / 1023 / 2 + 1e-4, 6.0 / 1023 / 2 + 1e-4, 1e-5,
            0.5 / 255 + 1e-6, 0.85 / 255 / 2 / 0.2820948 + 1e-4, 8.0 / 256 + 1e-5);

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"guitar.compressed.ply, 90854, 0", "test-sh3.compressed.ply, 64, 3", "st-lod3.compressed.ply, 1971, 3"})
    void open_fixture_countAndDegree(String name, long count, int degree) throws IOException {
        try (SplatReader r = Splats.open(Fixtures.splat(name))) {
            assertEquals(SplatFormat.COMPRESSED_PLY, r.info().format());
            assertEquals(count, r.info().count());
            assertEquals(degree, r.info().layout().shDegree());
        }
        assertEquals(count, Fixtures.readAll(Fixtures.splat(name)).size());
    }

    @Test
    void read_splatTransformFile_matchesSplatTransformsDecoding() throws IOException {
        SplatBatch ours = Fixtures.readAll(Fixtures.splat("st-lod3.compressed.ply"));
        SplatBatch theirs = Fixtures.readAll(Fixtures.splat("st-lod3.decompressed.ply"));
        // splat-transform decodes alpha bytes 0 and 255 to infinite logits; vsa clamps them to finite ones.
        new Tolerances(1e-5, 1e-5, 1e-6, 2e-4, 1e-4, 1e-5).check(theirs, ours);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void write_thenRead_withinQuantization(int degree) throws IOException {
        SplatLayout layout = SyntheticSplats.layout(degree);
        int count = 1000; // 3 full chunks and a partial one
        Path file = SyntheticSplats.write(dir.resolve("a.compressed.ply"), SplatFormat.COMPRESSED_PLY, layout, count, 7);
        SplatBatch expected = SyntheticSplats.generate(layout, count, 7);
        assertEquals(SplatFormat.COMPRESSED_PLY, Splats.detect(file));
        QUANTIZED.check(expected, Fixtures.readAll(file));
    }
}
