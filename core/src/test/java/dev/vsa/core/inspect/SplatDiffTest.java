package dev.vsa.core.inspect;

import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.testing.SyntheticSplats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplatDiffTest {
    @TempDir
    Path dir;

    @Test
    void compare_reorderedSog_nearestFindsTheSplatsOrderDoesNot() throws Exception {
        Path ply = SyntheticSplats.write(dir.resolve("a.ply"), SplatFormat.PLY, SyntheticSplats.layout(1), 600, 4);
        Path sog = SyntheticSplats.write(dir.resolve("b.sog"), SplatFormat.SOG, SyntheticSplats.layout(1), 600, 4);
        SplatDiff.Result near = SplatDiff.compare(ply, sog, SplatDiff.Match.NEAREST);
        SplatDiff.Result order = SplatDiff.compare(ply, sog, SplatDiff.Match.ORDER);
        assertEquals(600, near.compared());
        assertTrue(near.groups().get("position").max() < 1e-3, near::toString);
        assertTrue(near.groups().get("rotation_deg").max() < 2, near::toString);
        assertTrue(order.groups().get("position").max() > 1, order::toString); // Morton order is not input order
        assertTrue(near.groups().containsKey("sh1") && !near.groups().containsKey("sh2"), near::toString);
    }

    @Test
    void compare_sameFile_zero() throws Exception {
        Path ply = SyntheticSplats.write(dir.resolve("a.ply"), SplatFormat.PLY, SyntheticSplats.layout(3), 300, 5);
        for (SplatDiff.Match m : SplatDiff.Match.values()) {
            SplatDiff.Result r = SplatDiff.compare(ply, ply, m);
            r.groups().forEach((g, s) -> assertEquals(0, s.max(), 0, g));
        }
    }
}
