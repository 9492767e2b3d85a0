package dev.vsa.core.format.sog;

import dev.vsa.core.format.Fixtures;
import dev.vsa.core.format.Tolerances;
import dev.vsa.core.lod.LodOptions;
import dev.vsa.core.lod.LodSets;
import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.testing.SyntheticSplats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LOD sets against splat-transform 3.10.2 (run when it is installed, as {@code .ci/run} sets SPLAT_TRANSFORM): it
 * reads vsa's sets to the same rows vsa reads, whole and by level, and decodes its own set as vsa does.
 */
class LodInteropTest {
    @TempDir
    Path dir;

    private static final Tolerances SAME = new Tolerances(1e-4, 1e-6, 1e-6, 1e-6, 1e-6, 1e-6);

    @Test
    void splatTransform_readsOurSet_likeUs() throws Exception {
        Path tool = Fixtures.splatTransform();
        Path src = SyntheticSplats.write(dir.resolve("src.ply"), SplatFormat.PLY, SyntheticSplats.layout(2), 6000, 5);
        Path set = dir.resolve("ours/lod-meta.json");
        LodSets.Result r = LodSets.write(List.of(new LodSets.Input(src, -1)), set,
                LodOptions.DEFAULTS.withLevels(3).withChunking(1024, 6, 256).withFileCount(2048), List.of(),
                ProgressListener.NONE);
        assertEquals(List.of(6000L, 3000L, 1500L), r.counts());
        assertTrue(r.files() > 3, "files " + r.files());
        Path back = dir.resolve("back.ply");
        run(tool, List.of(set.toString(), back.toString()));
        SplatBatch theirs = Fixtures.readAll(back);
        assertEquals(6000, theirs.size()); // a set read as one scene is its finest level, for both
        SAME.check(Fixtures.readAll(set), theirs);
        for (int level = 1; level < 3; level++) {
            Path one = dir.resolve("level" + level + ".ply");
            run(tool, List.of(set.toString(), "-L", Integer.toString(level), one.toString()));
            SAME.check(LodSetTest.readAll(set, List.of(level)), Fixtures.readAll(one));
        }
    }

    @Test
    void splatTransform_readsOurTaggedSet_likeUs() throws Exception {
        Path tool = Fixtures.splatTransform();
        Path a = SyntheticSplats.write(dir.resolve("a.ply"), SplatFormat.PLY, SyntheticSplats.layout(1), 2500, 8);
        Path b = SyntheticSplats.write(dir.resolve("b.ply"), SplatFormat.PLY, SyntheticSplats.layout(1), 600, 9);
        Path set = dir.resolve("tagged/lod-meta.json");
        LodSets.write(List.of(new LodSets.Input(a, 0), new LodSets.Input(b, 1)), set,
                LodOptions.DEFAULTS.withChunking(1024, 8, 0), List.of(), ProgressListener.NONE);
        Path back = dir.resolve("back.ply");
        run(tool, List.of(set.toString(), "-L", "1", back.toString()));
        SplatBatch theirs = Fixtures.readAll(back);
        assertEquals(600, theirs.size());
        SAME.check(LodSetTest.readAll(set, List.of(1)), theirs);
    }

    @Test
    void theirSet_decodedByThem_likeUs() throws Exception {
        Path tool = Fixtures.splatTransform();
        Path set = LodSetTest.fixture("st-2lv-sh1/lod-meta.json");
        Path back = dir.resolve("back.ply");
        run(tool, List.of(set.toString(), back.toString()));
        SAME.check(Fixtures.readAll(set), Fixtures.readAll(back));
        Path coarse = dir.resolve("coarse.ply");
        run(tool, List.of(set.toString(), "-L", "1", coarse.toString()));
        SAME.check(LodSetTest.readAll(set, List.of(1)), Fixtures.readAll(coarse));
    }

    private void run(Path tool, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(tool.toString(), "-q", "-w"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "splat-transform timed out");
        assertEquals(0, p.exitValue(), () -> {
            try {
                return Files.readString(dir.resolve("log.txt"));
            } catch (IOException e) {
                return e.toString();
            }
        });
    }
}
