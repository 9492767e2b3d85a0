package dev.vsa.core.format;

import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.testing.SyntheticSplats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvCodecTest {
    @Test
    void write_headerAndEveryValueExactly(@TempDir Path dir) throws Exception {
        Path ply = SyntheticSplats.write(dir.resolve("a.ply"), SplatFormat.PLY, SyntheticSplats.layout(1, "e"), 50, 3);
        Path csv = dir.resolve("a.csv");
        dev.vsa.core.splat.Splats.convert(ply, csv, dev.vsa.core.splat.ConvertOptions.DEFAULTS,
                dev.vsa.core.progress.ProgressListener.NONE);
        List<String> lines = Files.readAllLines(csv);
        SplatBatch b = Fixtures.readAll(ply);
        SplatLayout l = b.layout();
        assertEquals(51, lines.size());
        String[] head = lines.get(0).split(",");
        assertEquals(l.stride(), head.length);
        assertEquals("x", head[0]);
        assertEquals("f_rest_8", head[SplatLayout.REST + 8]);
        assertEquals("e", head[l.stride() - 1]);
        for (int i = 0; i < 50; i++) {
            String[] v = lines.get(i + 1).split(",");
            for (int c = 0; c < l.stride(); c++) {
                assertEquals(b.get(i, c), Float.parseFloat(v[c]), 0f);
            }
        }
        assertThrows(UnsupportedOperationException.class, () -> new dev.vsa.core.format.csv.CsvCodec().openReader(csv));
    }
}
