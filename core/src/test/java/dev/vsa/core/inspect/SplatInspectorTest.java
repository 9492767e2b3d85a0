package dev.vsa.core.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vsa.core.format.Fixtures;
import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;
import dev.vsa.core.testing.SyntheticSplats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplatInspectorTest {
    @TempDir
    Path dir;

    @Test
    void inspect_lod3Tile_summary() throws IOException {
        SplatInspection i = SplatInspector.inspect(Fixtures.splat("lod3_tile_0.ply"), ProgressListener.NONE);
        assertEquals("ply", i.format());
        assertEquals("binary_little_endian", i.variant());
        assertEquals(1971, i.count());
        assertEquals(3, i.shDegree());
        assertEquals(59, i.columns().size());
        assertEquals("x", i.columns().get(0).name());
        assertEquals("f_rest_44", i.columns().get(58).name());
        assertEquals(490337, i.fileSize());
        assertEquals(490337.0 / 1971, i.bytesPerSplat(), 1e-9);
        assertTrue(i.bounds().minX() <= i.bounds().maxX());
        assertEquals(i.bounds().minX(), i.columns().get(0).min());
    }

    @Test
    void inspect_nanAndInf_countedAndJsonClean() throws IOException {
        SplatLayout layout = SyntheticSplats.layout(0, "conf");
        SplatBatch b = SyntheticSplats.generate(layout, 3, 1);
        for (int r = 0; r < 3; r++) {
            b.set(r, layout.extrasOffset(), Float.NaN);
        }
        b.set(1, SplatLayout.OPACITY, Float.NEGATIVE_INFINITY);
        Path file = dir.resolve("n.ply");
        try (SplatWriter w = Splats.create(file, SplatFormat.PLY, layout, WriteOptions.DEFAULTS)) {
            w.write(b);
            w.finish();
        }
        long[] last = new long[2];
        SplatInspection i = SplatInspector.inspect(file, (done, total) -> {
            last[0] = done;
            last[1] = total;
        });
        assertEquals(3, last[0]);
        assertEquals(3, last[1]);
        SplatInspection.ColumnStats conf = i.columns().get(layout.extrasOffset());
        assertEquals("conf", conf.name());
        assertEquals(3, conf.nanCount());
        assertNull(conf.mean());
        assertEquals(1, i.columns().get(SplatLayout.OPACITY).infCount());
        String json = new ObjectMapper().writeValueAsString(i);
        assertFalse(json.contains("NaN"), json);
        JsonNode tree = new ObjectMapper().readTree(json);
        assertEquals(3, tree.get("count").asLong());
        assertEquals("conf", tree.get("extras").get(0).asText());
        assertTrue(tree.get("bounds").has("minX"));
    }
}
