package dev.vsa.core.format;

import dev.vsa.core.splat.SplatBatch;
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
}
