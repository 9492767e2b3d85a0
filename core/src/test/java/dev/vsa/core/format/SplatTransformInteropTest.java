package dev.vsa.core.format;

import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.testing.SyntheticSplats;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both directions against splat-transform, when it is installed (property {@code vsa.splatTransform}, or the
 * project machine's /work/tools/npm copy); skipped otherwise.
 */
class SplatTransformInteropTest {
    static Path tool;

    @TempDir
    Path dir;

    @BeforeAll
    static void findTool() {
        tool = Fixtures.splatTransform();
    }

    void run(Path in, Path out, String... actions) throws IOException, InterruptedException {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(tool.toString(), "-q", "-w", in.toString()));
        cmd.addAll(java.util.List.of(actions));
        cmd.add(out.toString());
        Process proc = new ProcessBuilder(cmd)
                .redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS), "splat-transform timed out");
        assertEquals(0, proc.exitValue(), () -> "splat-transform failed: " + read(dir.resolve("log.txt")));
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void ourPly_readBySplatTransform_unchanged() throws Exception {
        SplatLayout layout = SyntheticSplats.layout(3);
        Path ours = SyntheticSplats.write(dir.resolve("ours.ply"), SplatFormat.PLY, layout, 2000, 11);
        Path theirs = dir.resolve("theirs.ply");
        run(ours, theirs);
        new Tolerances(1e-6, 1e-6, 1e-6, 1e-6, 1e-6, 1e-6).check(Fixtures.readAll(ours), Fixtures.readAll(theirs));
    }

    /**
     * splat-transform 3.10.2 reads .ksplat (it does not write it): vsa's files at every level, SH degree 2, decode
     * there as vsa decodes them (same splats, same order).
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "level {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 2})
    void ourKsplat_decodedBySplatTransform_likeUs(int level) throws Exception {
        Path ply = SyntheticSplats.write(dir.resolve("src.ply"), SplatFormat.PLY, SyntheticSplats.layout(2), 1500, 21);
        Path ours = dir.resolve("ours.ksplat");
        dev.vsa.core.splat.Splats.convert(ply, ours, new dev.vsa.core.splat.ConvertOptions(null,
                dev.vsa.core.splat.WriteOptions.DEFAULTS.withKsplatLevel(level), java.util.List.of()),
                dev.vsa.core.progress.ProgressListener.NONE);
        Path theirs = dir.resolve("theirs.ply");
        run(ours, theirs);
        new Tolerances(1e-5, 1e-5, 1e-6, 1e-6, 1e-5, 1e-5).check(Fixtures.readAll(ours), Fixtures.readAll(theirs));
    }

    @Test
    void ourCompressedPly_decodedBySplatTransform_likeUs() throws Exception {
        Path ply = SyntheticSplats.write(dir.resolve("src.ply"), SplatFormat.PLY, SyntheticSplats.layout(2), 1500, 12);
        Path ours = dir.resolve("ours.compressed.ply");
        dev.vsa.core.splat.Splats.convert(ply, ours, dev.vsa.core.splat.ConvertOptions.DEFAULTS,
                dev.vsa.core.progress.ProgressListener.NONE);
        Path theirs = dir.resolve("theirs.ply");
        run(ours, theirs);
        new Tolerances(1e-5, 1e-5, 1e-6, 2e-4, 1e-4, 1e-5).check(Fixtures.readAll(ours), Fixtures.readAll(theirs));
    }

    @Test
    void theirCompressedPly_readByUs_likeThem() throws Exception {
        Path ply = SyntheticSplats.write(dir.resolve("src.ply"), SplatFormat.PLY, SyntheticSplats.layout(1), 1500, 13);
        Path compressed = dir.resolve("theirs.compressed.ply");
        run(ply, compressed);
        Path decoded = dir.resolve("theirs-decoded.ply");
        run(compressed, decoded);
        SplatBatch ours = Fixtures.readAll(compressed);
        new Tolerances(1e-5, 1e-5, 1e-6, 2e-4, 1e-4, 1e-5).check(Fixtures.readAll(decoded), ours);
    }

    @Test
    void ourSplat_readBySplatTransform() throws Exception {
        Path ours = SyntheticSplats.write(dir.resolve("ours.splat"), SplatFormat.SPLAT, SyntheticSplats.layout(0), 1000, 14);
        Path theirs = dir.resolve("theirs.ply");
        run(ours, theirs);
        // splat-transform decodes rotation bytes as b/255*2-1 where vsa (and antimatter15) use (b-128)/128.
        new Tolerances(0, 1e-6, 1e-4, 1e-6, 1e-5, 0).check(Fixtures.readAll(ours), Fixtures.readAll(theirs));
    }

    @Test
    void rotateAndTranslate_matchSplatTransformsActions() throws Exception {
        Path src = SyntheticSplats.write(dir.resolve("src.ply"), SplatFormat.PLY, SyntheticSplats.layout(3), 300, 15);
        Path theirs = dir.resolve("theirs.ply");
        run(src, theirs, "-r", "30,-70,125", "-t", "1,2,3");
        Path ours = dir.resolve("ours.ply");
        dev.vsa.core.splat.Splats.convert(src, ours, dev.vsa.core.splat.ConvertOptions.DEFAULTS.withTransforms(
                dev.vsa.core.transform.Transform.parseAll(java.util.List.of("rotate=0,0,180", "rotate=30,-70,125",
                        "rotate=0,0,180", "translate=-1,-2,3"))), dev.vsa.core.progress.ProgressListener.NONE);
        // positions, rotations and every SH coefficient (degrees 1-3) agree
        new Tolerances(1e-4, 1e-5, 1e-6, 1e-6, 1e-6, 1e-4).check(Fixtures.readAll(theirs), Fixtures.readAll(ours));
    }
}
