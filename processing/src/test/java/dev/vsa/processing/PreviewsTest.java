package dev.vsa.processing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.core.render.RenderOptions;
import dev.vsa.processing.internal.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The preview step alone: its budget and its failure path (the job around it is in ProcessJobTest). */
class PreviewsTest {
    @TempDir
    Path dir;

    private Path fixture(String name) throws Exception {
        Path f = dir.resolve(name);
        try (var in = ProcessingTestSupport.fixture(name)) {
            Files.copy(in, f);
        }
        return f;
    }

    @Test
    void make_budgetSpent_noOutputsReasonRecorded() throws Exception {
        ObjectNode meta = Json.object();
        List<SceneWork.Output> outs = Previews.make(fixture("unitCube-ascii.ply"), dir, meta,
                RenderOptions.DEFAULTS.withTimeBudget(Duration.ofNanos(1)));
        assertTrue(outs.isEmpty());
        assertTrue(meta.path("preview").path("error").asText().startsWith("LIMIT_EXCEEDED"), meta::toString);
        assertFalse(Files.exists(dir.resolve(Previews.PREVIEW)));
    }

    @Test
    void make_ok_previewAndThumbnailSizes() throws Exception {
        ObjectNode meta = Json.object();
        List<SceneWork.Output> outs = Previews.make(fixture("Box.glb"), dir, meta);
        assertEquals(2, outs.size(), meta::toString);
        assertEquals(Previews.PREVIEW, outs.get(0).name());
        assertEquals(512, javax.imageio.ImageIO.read(outs.get(0).file().toFile()).getWidth());
        assertEquals(Previews.THUMBNAIL_SIZE, meta.path("preview").path("width").asInt() / 2);
        assertEquals(12, meta.path("preview").path("drawn").asInt());
    }
}
