package dev.vsa.processing;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A LOD set's lod-meta.json sent straight to storage alone is refused: its units cannot come with it. */
class LodUploadTest {
    @Test
    void detectSingle_lodMeta_refusedSayingToZipTheSet() {
        Path meta = Path.of(System.getProperty("vsa.repo.root", ".."))
                .resolve("core/src/test/resources/splats/lod/st-2lv-sh1/lod-meta.json");
        UploadRejectedException e = assertThrows(UploadRejectedException.class,
                () -> SceneService.detectSingle("lod-meta.json", meta, 1 << 20));
        assertEquals(UploadRejectedException.Reason.BAD_PARTS, e.reason());
        assertTrue(e.getMessage().contains("zip"), e.getMessage());
    }
}
