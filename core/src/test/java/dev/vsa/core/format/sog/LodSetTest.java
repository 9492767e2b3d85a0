package dev.vsa.core.format.sog;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.Fixtures;
import dev.vsa.core.lod.LodOptions;
import dev.vsa.core.lod.LodSetInfo;
import dev.vsa.core.lod.LodSets;
import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.testing.SyntheticSplats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streamed SOG (lod-meta.json): real PlayCanvas and splat-transform sets read, vsa's sets written and read back. */
class LodSetTest {
    @TempDir
    Path dir;

    static Path fixture(String name) {
        return Fixtures.splat("lod/" + name);
    }

    static SplatBatch readAll(Path lodMeta, List<Integer> levels) throws IOException {
        try (SplatReader r = LodSets.open(lodMeta, levels)) {
            SplatBatch all = new SplatBatch(r.info().layout(), (int) Math.max(1, r.info().count()));
            SplatBatch part = new SplatBatch(r.info().layout(), 1000);
            int rows = 0;
            int n;
            while ((n = r.read(part)) > 0) {
                System.arraycopy(part.array(), 0, all.array(), rows * all.stride(), n * all.stride());
                rows += n;
            }
            all.setSize(rows);
            assertEquals(r.info().count(), rows);
            return all;
        }
    }

    /**
     * A member named twice in lod-meta.json is refused with a code and one line, wherever the set is read: it was
     * refused until the file went through the budgeted JSON reader, which kept the last value.
     */
    @Test
    void open_lodMetaWithDuplicateMember_badMeta() throws Exception {
        String json = Files.readString(fixture("st-2lv-sh1/lod-meta.json"));
        assertTrue(json.contains("\"lodLevels\":2,"), "the fixture's level count");
        Path meta = Files.writeString(dir.resolve("lod-meta.json"), json.replace("\"lodLevels\":2,", "\"lodLevels\":1,\"lodLevels\":2,"));
        for (org.junit.jupiter.api.function.Executable read : List.<org.junit.jupiter.api.function.Executable>of(
                () -> LodSets.open(meta, List.of()).close(), () -> LodSets.describe(meta), () -> Splats.declared(meta))) {
            MalformedInputException e = assertThrows(MalformedInputException.class, read);
            assertEquals(ErrorCode.SOG_BAD_META, e.code(), e::getMessage);
            assertTrue(e.getMessage().contains("lodLevels") && !e.getMessage().contains("\n"), e::getMessage);
            assertTrue(e.where() != null && e.where().startsWith("byte "), e::toString);
        }
    }

    @Test
    void describe_playCanvasExample_preVersionSet() throws Exception {
        LodSetInfo info = LodSets.describe(fixture("playbot/lod-meta.json"));
        assertEquals(0, info.version());
        assertEquals(7, info.levels().size());
        assertEquals(2, info.chunks().size());
        assertEquals(500_000, info.levels().get(0).count());
        assertEquals(1873, info.levels().get(6).count());
        assertEquals(3000, info.levels().get(5).count());
        assertEquals(-1.033496, info.bounds().minX(), 1e-9);
    }

    /** Only the chosen levels' units are opened: the fixture keeps levels 5 and 6 of the engine's example. */
    @Test
    void open_playCanvasExample_chosenLevelsOnly() throws Exception {
        SplatBatch b = readAll(fixture("playbot/lod-meta.json"), List.of(5, -1));
        assertEquals(3000 + 1873, b.size());
        assertEquals(2, b.layout().shDegree());
        LodSetInfo info = LodSets.describe(fixture("playbot/lod-meta.json"));
        LodSetInfo.Bounds all = info.bounds();
        for (int i = 0; i < b.size(); i++) {
            assertTrue(b.get(i, 0) >= all.minX() - 1e-3 && b.get(i, 0) <= all.maxX() + 1e-3, "x of " + i);
            assertTrue(b.get(i, 1) >= all.minY() - 1e-3 && b.get(i, 1) <= all.maxY() + 1e-3, "y of " + i);
        }
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> readAll(fixture("playbot/lod-meta.json"), List.of(0)));
        assertEquals(ErrorCode.SOG_BAD_META, e.code());
    }

    @Test
    void open_splatTransformSet_levelsAndCounts() throws Exception {
        Path set = fixture("st-2lv-sh1/lod-meta.json");
        assertEquals(SplatFormat.LOD, Splats.detect(set));
        LodSetInfo info = LodSets.describe(set);
        assertEquals(1, info.version());
        assertEquals(List.of(3000L, 800L), info.levels().stream().map(LodSetInfo.Level::count).toList());
        assertEquals(3, info.files().size());
        assertEquals(3000, Fixtures.readAll(set).size()); // one scene: the finest level
        assertEquals(3800, readAll(set, List.of()).size());
        SplatBatch coarse = readAll(set, List.of(1));
        assertEquals(800, coarse.size());
        assertEquals(1, coarse.layout().shDegree());
        assertThrows(IllegalArgumentException.class, () -> LodSets.open(set, List.of(2)));
    }

    @Test
    void write_oneInput_generatedLevelsReadBack() throws Exception {
        Path src = SyntheticSplats.write(dir.resolve("src.ply"), SplatFormat.PLY, SyntheticSplats.layout(1), 20_000, 7);
        Path out = dir.resolve("set/lod-meta.json");
        LodSets.Result r = LodSets.write(List.of(new LodSets.Input(src, -1)), out,
                LodOptions.DEFAULTS.withLevels(3).withChunking(4096, 6, 512).withFileCount(8192), List.of(),
                ProgressListener.NONE);
        assertEquals(List.of(20_000L, 10_000L, 5_000L), r.counts());
        LodSetInfo info = LodSets.describe(out);
        assertEquals(r.chunks(), info.chunks().size());
        assertTrue(info.chunks().size() >= 8, "chunks " + info.chunks().size());
        assertTrue(info.files().size() >= 4, "files " + info.files().size());
        // level 0 holds the source's splats (as sorted value lists, within SOG's rounding)
        SplatBatch source = Fixtures.readAll(src);
        SplatBatch level0 = readAll(out, List.of(0));
        assertEquals(1, level0.layout().shDegree());
        for (int col : new int[]{SplatLayout.X, SplatLayout.Y, SplatLayout.Z}) {
            float[] a = sorted(source, col);
            float[] b = sorted(level0, col);
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 0.01, "column " + col + " rank " + i);
            }
        }
        // coarser levels: enlarged, never shrunk; fewer
        SplatBatch level2 = readAll(out, List.of(2));
        assertEquals(5000, level2.size());
        assertTrue(mean(level2, SplatLayout.SCALE_0) > mean(level0, SplatLayout.SCALE_0));
        // each leaf's bound holds its splats' centres at every level
        checkLeafBounds(out);
    }

    @Test
    void write_taggedInputs_levelsAreTheTags() throws Exception {
        Path a = SyntheticSplats.write(dir.resolve("a.ply"), SplatFormat.PLY, SyntheticSplats.layout(2), 3000, 1);
        Path b = SyntheticSplats.write(dir.resolve("b.spz"), SplatFormat.SPZ, SyntheticSplats.layout(0), 700, 2);
        Path out = dir.resolve("lod-meta.json");
        LodSets.Result r = LodSets.write(List.of(new LodSets.Input(a, 0), new LodSets.Input(b, 3)), out,
                LodOptions.DEFAULTS.withChunking(1024, 100, 0), List.of(), ProgressListener.NONE);
        assertEquals(List.of(3000L, 700L), r.counts());
        SplatBatch coarse = readAll(out, List.of(1));
        assertEquals(700, coarse.layout().shDegree() == 2 ? coarse.size() : -1);
        for (int i = 0; i < coarse.size(); i++) {
            assertEquals(0, coarse.get(i, SplatLayout.REST), 0.02, "padded SH of " + i);
        }
        checkLeafBounds(out);
    }

    @Test
    void write_sameInputTwice_sameBytes() throws Exception {
        Path src = SyntheticSplats.write(dir.resolve("src.ply"), SplatFormat.PLY, SyntheticSplats.layout(0), 6000, 3);
        LodOptions o = LodOptions.DEFAULTS.withLevels(2).withChunking(1024, 4, 256);
        Path one = dir.resolve("one/lod-meta.json");
        Path two = dir.resolve("two/lod-meta.json");
        LodSets.write(List.of(new LodSets.Input(src, -1)), one, o, List.of(), ProgressListener.NONE);
        LodSets.write(List.of(new LodSets.Input(src, -1)), two, o, List.of(), ProgressListener.NONE);
        List<Path> files;
        try (Stream<Path> s = Files.walk(one.getParent())) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertTrue(files.size() > 5);
        for (Path f : files) {
            Path g = two.getParent().resolve(one.getParent().relativize(f));
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(g), f.toString());
        }
    }

    @Test
    void convert_toLodMetaJson_defaultOptions() throws Exception {
        Path src = SyntheticSplats.write(dir.resolve("src.ply"), SplatFormat.PLY, SyntheticSplats.layout(0), 5000, 4);
        Path out = dir.resolve("lod-meta.json");
        Splats.convert(src, out, dev.vsa.core.splat.ConvertOptions.DEFAULTS, ProgressListener.NONE);
        assertEquals(5000, LodSets.describe(out).levels().get(0).count());
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".vsa-")), "temporary files left");
        }
    }

    private static void checkLeafBounds(Path set) throws IOException {
        LodSetInfo info = LodSets.describe(set);
        LodMeta meta = LodReader.meta(set);
        Path dir = set.toAbsolutePath().getParent();
        for (int f = 0; f < meta.filenames().size(); f++) {
            SplatBatch unit = Fixtures.readAll(dir.resolve(meta.filenames().get(f)));
            for (LodMeta.Leaf leaf : meta.leaves()) {
                for (LodMeta.Ref ref : leaf.lods().values()) {
                    if (ref.file() != f) {
                        continue;
                    }
                    for (long i = ref.offset(); i < ref.offset() + ref.count(); i++) {
                        for (int k = 0; k < 3; k++) {
                            float v = unit.get((int) i, k);
                            assertTrue(v >= leaf.min()[k] - 1e-3 && v <= leaf.max()[k] + 1e-3,
                                    "row " + i + " of " + meta.filenames().get(f) + " outside its leaf on axis " + k);
                        }
                    }
                }
            }
        }
        assertTrue(info.bounds() != null);
    }

    private static float[] sorted(SplatBatch b, int col) {
        float[] v = new float[b.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.get(i, col);
        }
        Arrays.sort(v);
        return v;
    }

    private static double mean(SplatBatch b, int col) {
        double s = 0;
        for (int i = 0; i < b.size(); i++) {
            s += b.get(i, col);
        }
        return s / b.size();
    }
}
