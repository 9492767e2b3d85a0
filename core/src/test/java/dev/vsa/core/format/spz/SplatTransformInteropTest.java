package dev.vsa.core.format.spz;

import dev.vsa.core.format.Fixtures;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Agreement with splat-transform 3.7.0: its files (committed) read by vsa, and vsa's files read by it (when installed). */
class SplatTransformInteropTest {
    private static final String DIR = "splat-transform/";

    @TempDir
    Path dir;

    /** The source PLY: splat-transform's SPZ holds it unconverted, and vsa reads SPZ without a frame that way. */
    private static SplatBatch source() throws IOException {
        return Fixtures.readAll(Fixtures.splat(DIR + "source-sh3.ply"));
    }

    private Path write(SplatBatch rows, String name, SplatFormat format, int spzVersion) throws IOException {
        Path file = dir.resolve(name);
        try (SplatWriter w = Splats.create(file, format, rows.layout(), new WriteOptions(spzVersion))) {
            w.write(rows);
            w.finish();
        }
        return file;
    }

    @ParameterizedTest
    @CsvSource({"st-v3.spz,3", "st-v4.spz,4"})
    void read_splatTransformSpz_quantizedLikeVsa(String name, int version) throws IOException {
        SplatBatch expected = source();
        Path st = Fixtures.splat(DIR + name);
        try (SplatReader r = Splats.open(st)) {
            assertEquals(version, r.info().version());
            assertEquals(64, r.info().count());
            assertEquals(SplatLayout.of(3), r.info().layout());
        }
        SplatBatch fromSt = Fixtures.readAll(st);
        SpzCodecTest.assertWithinSpzBounds(expected, fromSt);
        // vsa quantizes as the reference does: the same values, bit for bit (rotations up to the smallest-three tie).
        SplatBatch fromVsa = Fixtures.readAll(write(expected, "vsa.spz", SplatFormat.SPZ, version));
        for (int i = 0; i < 64; i++) {
            for (int c = 0; c < expected.stride(); c++) {
                if (c < SplatLayout.ROT_W || c > SplatLayout.ROT_Z) {
                    assertEquals(fromSt.get(i, c), fromVsa.get(i, c), "splat " + i + " " + expected.layout().columnName(c));
                }
            }
        }
    }

    @Test
    void read_splatTransformGlb_isTheSourcePly() throws IOException {
        SplatBatch source = source();
        SplatBatch glb = Fixtures.readAll(Fixtures.splat(DIR + "st.glb"));
        assertEquals(source.size(), glb.size());
        for (int i = 0; i < source.size(); i++) {
            for (int c = 0; c < source.layout().extrasOffset(); c++) {
                float e = source.get(i, c), a = glb.get(i, c);
                String at = "splat " + i + " " + source.layout().columnName(c);
                if (c == SplatLayout.OPACITY) {
                    assertEquals(1 / (1 + Math.exp(-e)), 1 / (1 + Math.exp(-a)), 1e-6, at);
                } else {
                    assertEquals(e, a, 2e-5, at);
                }
            }
        }
    }

    private static Path splatTransform() {
        return dev.vsa.core.format.Fixtures.splatTransform();
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4})
    void splatTransform_readsVsaSpz(int version) throws Exception {
        Path st = splatTransform();
        SplatBatch source = source();
        Path spz = write(source, "vsa.spz", SplatFormat.SPZ, version);
        Path back = dir.resolve("back.ply");
        Process p = new ProcessBuilder(List.of(st.toString(), "-q", "-w", spz.toString(), back.toString()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "splat-transform timed out");
        assertEquals(0, p.exitValue(), out);
        // splat-transform reads SPZ unconverted (v4's frame extension, RDF, it skips): the source's values come back.
        SpzCodecTest.assertWithinSpzBounds(source, Fixtures.readAll(back));
    }
}
