package dev.vsa.core.format;

import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;
import dev.vsa.core.testing.SyntheticSplats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void write_severalBlocksInUnevenBatches_rawFloatBitsInPropertyOrder() throws IOException {
        SplatLayout layout = SyntheticSplats.layout(3, "confidence");
        int count = 50_000; // 50,000 rows of 256 bytes (12.8 MB): many full write blocks and a partial one
        int stride = layout.stride();
        SplatBatch all = SyntheticSplats.generate(layout, count, 5);
        all.array()[stride * 40_000 + SplatLayout.REST + 3] = Float.intBitsToFloat(0x7fc01234); // a NaN payload
        Path file = dir.resolve("big.ply");
        try (SplatWriter w = Splats.create(file, SplatFormat.PLY, layout, WriteOptions.DEFAULTS)) {
            int[] sizes = {1, 16_384, 3, 20_000, 777};
            for (int at = 0, i = 0; at < count; i++) {
                int n = Math.min(sizes[i % sizes.length], count - at);
                SplatBatch b = new SplatBatch(layout, n);
                System.arraycopy(all.array(), at * stride, b.array(), 0, n * stride);
                b.setSize(n);
                w.write(b);
                at += n;
            }
            w.finish();
        }
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, 0, Math.min(bytes.length, 8192), StandardCharsets.US_ASCII);
        int body = text.indexOf("end_header\n") + "end_header\n".length();
        assertTrue(text.contains("element vertex " + count + "\n"));
        List<Integer> columns = new ArrayList<>();
        for (String line : text.substring(0, body).split("\n")) {
            if (line.startsWith("property float ")) {
                columns.add(column(line.substring("property float ".length()), layout));
            }
        }
        assertEquals(62 + 1, columns.size());
        assertEquals(body + (long) count * columns.size() * 4, bytes.length);
        ByteBuffer in = ByteBuffer.wrap(bytes, body, bytes.length - body).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < count; r++) {
            for (int c : columns) {
                int expected = c < 0 ? 0 : Float.floatToRawIntBits(all.array()[r * stride + c]);
                int got = in.getInt();
                if (got != expected) {
                    assertEquals(expected, got, "row " + r + " column " + c);
                }
            }
        }
    }

    /** The row column of a 3DGS PLY property, or -1 for a normal. */
    private static int column(String name, SplatLayout layout) {
        return switch (name) {
            case "x" -> SplatLayout.X;
            case "y" -> SplatLayout.Y;
            case "z" -> SplatLayout.Z;
            case "nx", "ny", "nz" -> -1;
            case "opacity" -> SplatLayout.OPACITY;
            default -> name.startsWith("f_dc_") ? SplatLayout.DC_0 + Integer.parseInt(name.substring(5))
                    : name.startsWith("f_rest_") ? SplatLayout.REST + Integer.parseInt(name.substring(7))
                    : name.startsWith("scale_") ? SplatLayout.SCALE_0 + Integer.parseInt(name.substring(6))
                    : name.startsWith("rot_") ? SplatLayout.ROT_W + Integer.parseInt(name.substring(4))
                    : layout.extrasOffset() + layout.extras().indexOf(name);
        };
    }

    @Test
    void close_withoutFinish_afterSeveralBlocks_leavesNoFile() throws IOException {
        SplatLayout layout = SyntheticSplats.layout(3);
        Path file = dir.resolve("abandoned.ply");
        SplatBatch b = SyntheticSplats.generate(layout, 16_384, 9);
        try (SplatWriter w = Splats.create(file, SplatFormat.PLY, layout, WriteOptions.DEFAULTS)) {
            for (int i = 0; i < 4; i++) {
                w.write(b);
            }
        }
        assertFalse(Files.exists(file));
    }
}
