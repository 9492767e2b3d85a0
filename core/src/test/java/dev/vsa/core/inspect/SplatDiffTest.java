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

    /**
     * A frame change by sign flips (RDF -> RUB) and the same half turn done by -t rotate give the same Gaussians, but
     * quaternions 180 degrees apart (R M^T against R: a half turn about a splat's own axis maps its ellipsoid onto
     * itself). The rotation error compares the ellipsoids' orientations, so it is 0 here (it said 180).
     */
    @Test
    void compare_sameEllipsoidsOtherQuaternions_noRotationError() throws Exception {
        Path ply = SyntheticSplats.write(dir.resolve("a.ply"), SplatFormat.PLY, SyntheticSplats.layout(1), 400, 9);
        Path byFrame = dir.resolve("frame.ply");
        Path byRotate = dir.resolve("rotate.ply");
        dev.vsa.core.splat.Splats.convert(ply, byFrame, dev.vsa.core.splat.ConvertOptions.DEFAULTS.withTransforms(
                java.util.List.of(new dev.vsa.core.transform.Transform.Frame("RDF", "RUB"))),
                dev.vsa.core.progress.ProgressListener.NONE);
        dev.vsa.core.splat.Splats.convert(ply, byRotate, dev.vsa.core.splat.ConvertOptions.DEFAULTS.withTransforms(
                java.util.List.of(new dev.vsa.core.transform.Transform.Rotate(0, 1, 0, 0))),
                dev.vsa.core.progress.ProgressListener.NONE);
        SplatDiff.Result r = SplatDiff.compare(byFrame, byRotate, SplatDiff.Match.ORDER);
        assertTrue(r.groups().get("position").max() < 1e-5, r::toString);
        assertTrue(r.groups().get("rotation_deg").max() < 0.01, r::toString);
        // a real turn still counts: 10 degrees about x
        Path turned = dir.resolve("turned.ply");
        double h = Math.toRadians(5);
        dev.vsa.core.splat.Splats.convert(byRotate, turned, dev.vsa.core.splat.ConvertOptions.DEFAULTS.withTransforms(
                java.util.List.of(new dev.vsa.core.transform.Transform.Rotate(Math.cos(h), Math.sin(h), 0, 0))),
                dev.vsa.core.progress.ProgressListener.NONE);
        SplatDiff.Result t = SplatDiff.compare(byRotate, turned, SplatDiff.Match.ORDER);
        assertEquals(10, t.groups().get("rotation_deg").mean(), 0.01, t::toString);
    }
}
