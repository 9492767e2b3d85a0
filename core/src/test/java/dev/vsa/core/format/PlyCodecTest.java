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
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PlyCodecTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void write_thenRead_isExact(int degree) throws IOException {
        SplatLayout layout = SyntheticSplats.layout(degree, "confidence", "segment");
        Path file = SyntheticSplats.write(dir.resolve("a.ply"), SplatFormat.PLY, layout, 40_000, degree);
        SplatBatch expected = SyntheticSplats.generate(layout, 40_000, degree);
        try (SplatReader r = Splats.open(file)) {
            assertEquals(SplatFormat.PLY, r.info().format());
            assertEquals(40_000, r.info().count());
            assertEquals(layout, r.info().layout());
        }
        SplatBatch got = Fixtures.readAll(file);
        assertEquals(40_000, got.size());
        assertArrayEquals(expected.array(), got.array(), 1e-6f);
    }

    @Test
    void read_lod3Tile_binarySh3() throws IOException {
        SplatBatch b = Fixtures.readAll(Fixtures.splat("lod3_tile_0.ply"));
        assertEquals(1971, b.size());
        assertEquals(3, b.layout().shDegree());
        assertEquals(List.of(), b.layout().extras());
    }

    @Test
    void read_unitCubeAscii_values() throws IOException {
        try (SplatReader r = Splats.open(Fixtures.splat("unitCube-ascii.ply"))) {
            assertEquals("ascii", r.info().variant());
        }
        SplatBatch b = Fixtures.readAll(Fixtures.splat("unitCube-ascii.ply"));
        assertEquals(20, b.size());
        assertEquals(0, b.layout().shDegree());
        // row 1: 10.0 -0.0 -0.0 1.7724539 -1.7724539 -1.7724539 20.0 0.1 0.1 0.1 1.0 0.0 0.0 0.0
        assertEquals(10f, b.get(1, SplatLayout.X));
        assertEquals(1.7724539f, b.get(1, SplatLayout.DC_0));
        assertEquals(-1.7724539f, b.get(1, SplatLayout.DC_2));
        assertEquals(20f, b.get(1, SplatLayout.OPACITY));
        assertEquals(0.1f, b.get(1, SplatLayout.SCALE_1));
        assertEquals(1f, b.get(1, SplatLayout.ROT_W));
        // row 19: 10.0 -10.0 -5.0 ...
        assertEquals(-5f, b.get(19, SplatLayout.Z));
    }
}
