package dev.vsa.core.format.sog;

import dev.vsa.core.format.Fixtures;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.testing.SyntheticSplats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SogCodecTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void roundTrip_bundled_withinQuantization(int degree) throws Exception {
        Path ply = SyntheticSplats.write(dir.resolve("in.ply"), SplatFormat.PLY, SyntheticSplats.layout(degree), 1200, 7 + degree);
        Path sog = dir.resolve("out.sog");
        SyntheticSplats.write(sog, SplatFormat.SOG, SyntheticSplats.layout(degree), 1200, 7 + degree);
        assertEquals(SplatFormat.SOG, Splats.detect(sog));
        SplatBatch a = Fixtures.readAll(ply);
        SplatBatch b = Fixtures.readAll(sog);
        assertEquals(1200, b.size());
        AttributeErrors e = AttributeErrors.of(a, b);
        assertTrue(e.groups().get("position")[2] < 1e-2, e::toString);
        assertTrue(e.groups().get("rotation-deg")[2] < 1.5, e::toString);
        assertTrue(e.groups().get("alpha")[2] <= 1.0 / 255, e::toString);
        assertTrue(e.groups().get("log-scale")[2] < 0.05, e::toString);
        assertTrue(e.groups().get("f_dc")[2] < 0.05, e::toString);
        if (degree > 0) {
            // uniform random SH is incompressible: 1024 palette entries for 1200 splats keep about this much
            assertTrue(e.groups().get("f_rest")[0] < 0.15, e::toString);
        }
    }

    @Test
    void write_sameInputTwice_sameBytes() throws Exception {
        Path one = SyntheticSplats.write(dir.resolve("one.sog"), SplatFormat.SOG, SyntheticSplats.layout(3), 1500, 3);
        Path two = SyntheticSplats.write(dir.resolve("two.sog"), SplatFormat.SOG, SyntheticSplats.layout(3), 1500, 3);
        assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(two));
    }

    @Test
    void write_unbundled_readsAsBundled() throws Exception {
        Files.createDirectories(dir.resolve("u"));
        Path meta = SyntheticSplats.write(dir.resolve("u/meta.json"), SplatFormat.SOG, SyntheticSplats.layout(2), 1000, 5);
        Path sog = SyntheticSplats.write(dir.resolve("b.sog"), SplatFormat.SOG, SyntheticSplats.layout(2), 1000, 5);
        assertTrue(Files.exists(dir.resolve("u/shN_labels.webp")));
        try (SplatReader r = Splats.open(meta)) {
            assertEquals(SplatFormat.SOG, r.info().format());
        }
        SplatBatch a = Fixtures.readAll(meta);
        SplatBatch b = Fixtures.readAll(sog);
        assertArrayEquals(java.util.Arrays.copyOf(a.array(), a.size() * a.stride()),
                java.util.Arrays.copyOf(b.array(), b.size() * b.stride()));
    }
}
