package dev.vsa.core.splat;

import dev.vsa.core.format.Fixtures;
import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.testing.SyntheticSplats;
import dev.vsa.core.transform.Transform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MergeTest {
    @TempDir
    Path dir;

    private Path ply(String name, SplatLayout layout, int n, long seed) throws IOException {
        return SyntheticSplats.write(dir.resolve(name), SplatFormat.PLY, layout, n, seed);
    }

    /** Each input's own transforms, rows in input order, SH padded with zeros to the highest degree. */
    @Test
    void merge_perInputTransforms_padsSh() throws IOException {
        Path a = ply("a.ply", SplatLayout.of(0), 300, 1);
        Path b = ply("b.ply", SplatLayout.of(2), 200, 2);
        Merge.Reader[] opened = new Merge.Reader[1];
        ConvertResult r = Splats.convert(() -> opened[0] = Merge.open(List.of(
                        new Merge.Part(a, List.of(Transform.parse("translate=1,0,0"))),
                        new Merge.Part(b, List.of(Transform.parse("scale=2"), Transform.parse("filter=x<0")))), dir),
                dir.resolve("m.ply"), ConvertOptions.DEFAULTS, ProgressListener.NONE);
        SplatBatch ra = Fixtures.readAll(a), rb = Fixtures.readAll(b), m = Fixtures.readAll(dir.resolve("m.ply"));
        long keptB = 0;
        for (int i = 0; i < rb.size(); i++) {
            keptB += rb.get(i, 0) * 2 < 0 ? 1 : 0;
        }
        assertEquals(300 + keptB, r.splatsOut());
        assertEquals(2, m.layout().shDegree());
        for (int i = 0; i < 300; i++) {
            assertEquals(ra.get(i, 0) + 1, m.get(i, 0), 1e-6);
            assertEquals(ra.get(i, SplatLayout.DC_1), m.get(i, SplatLayout.DC_1), 0f);
            for (int k = SplatLayout.REST; k < m.layout().extrasOffset(); k++) {
                assertEquals(0f, m.get(i, k), "padded SH of row " + i);
            }
        }
        int row = 300;
        for (int i = 0; i < rb.size(); i++) {
            if (rb.get(i, 0) * 2 < 0) {
                assertEquals(rb.get(i, 1) * 2, m.get(row, 1), 1e-5);
                assertEquals(rb.get(i, SplatLayout.REST + 4), m.get(row, SplatLayout.REST + 4), 0f);
                row++;
            }
        }
        assertEquals(List.of("a.ply: SH degree 0 padded to 2 with zeros"), opened[0].notes());
        assertEquals(List.of(300L, keptB), opened[0].parts().stream().map(Merge.PartResult::splats).toList());
    }

    @Test
    void merge_differentExtras_droppedAndSaid() throws IOException {
        Path a = ply("a.ply", SyntheticSplats.layout(1, "confidence"), 10, 1);
        Path b = ply("b.ply", SyntheticSplats.layout(1), 10, 2);
        try (Merge.Reader r = Merge.open(List.of(new Merge.Part(a, null), new Merge.Part(b, null)), dir)) {
            assertEquals(List.of(), r.info().layout().extras());
            assertTrue(r.losses().get(0).startsWith("extra properties dropped"), r.losses().toString());
            SplatBatch batch = new SplatBatch(r.info().layout(), 64);
            long n = 0;
            int k;
            while ((k = r.read(batch)) > 0) {
                n += k;
            }
            assertEquals(20, n);
        }
        assertThrows(IllegalArgumentException.class, () -> Merge.open(List.of(), dir));
    }
}
