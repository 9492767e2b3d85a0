package dev.vsa.core.format.sog;

import dev.vsa.core.format.Fixtures;
import dev.vsa.core.format.Tolerances;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.Splats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SOG version 1 (meta.json without 'version'): a cut of the PlayCanvas engine's example, read as splat-transform does. */
class SogV1Test {
    @TempDir
    Path dir;

    static final Path V1 = Fixtures.splat("sog/pc-logo-v1-4k/meta.json");

    @Test
    void read_playCanvasV1_valuesWithinItsRanges() throws Exception {
        try (SplatReader r = Splats.open(V1)) {
            assertEquals(1, r.info().version());
            assertEquals(4096, r.info().count());
            assertEquals(0, r.info().layout().shDegree());
        }
        SplatBatch b = Fixtures.readAll(V1);
        assertEquals(4096, b.size());
        for (int i = 0; i < b.size(); i++) {
            // meta.json: scales mins/maxs per axis, sh0's fourth channel the opacity logit between -4.14 and 5.54
            assertTrue(b.get(i, SplatLayout.SCALE_0) >= -12.93 && b.get(i, SplatLayout.SCALE_0) <= -1.05, "scale of " + i);
            assertTrue(b.get(i, SplatLayout.OPACITY) >= -4.14 && b.get(i, SplatLayout.OPACITY) <= 5.54, "opacity of " + i);
            // means mins/maxs are of sign(x) * ln(|x| + 1): |x| <= e^0.9301 - 1
            assertTrue(Math.abs(b.get(i, SplatLayout.X)) <= Math.expm1(0.93012), "x of " + i);
            double n = 0;
            for (int k = 0; k < 4; k++) {
                n += b.get(i, SplatLayout.ROT_W + k) * b.get(i, SplatLayout.ROT_W + k);
            }
            assertEquals(1, n, 1e-3, "rotation of " + i);
        }
    }

    @Test
    void splatTransform_decodesV1_likeUs() throws Exception {
        Path tool = Fixtures.splatTransform();
        Path back = dir.resolve("back.ply");
        Process p = new ProcessBuilder(List.of(tool.toString(), "-q", "-w", V1.toString(), back.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), () -> {
            try {
                return Files.readString(dir.resolve("log.txt"));
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        new Tolerances(1e-4, 1e-5, 1e-6, 1e-6, 1e-5, 1e-6).check(Fixtures.readAll(V1), Fixtures.readAll(back));
    }
}
