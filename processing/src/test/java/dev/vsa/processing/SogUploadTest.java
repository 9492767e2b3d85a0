package dev.vsa.processing;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An unbundled SOG's meta.json sent straight to storage alone is refused: its images cannot come with it. */
class SogUploadTest {
    @Test
    void detectSingle_unbundledMeta_refusedNamingItsImagesAndSayingToZipTheFolder() {
        Path meta = Path.of(System.getProperty("vsa.repo.root", ".."))
                .resolve("core/src/test/resources/splats/lod/st-2lv-sh1/0_0/meta.json");
        UploadRejectedException e = assertThrows(UploadRejectedException.class,
                () -> SceneService.detectSingle("meta.json", meta, 1 << 20));
        assertEquals(UploadRejectedException.Reason.BAD_PARTS, e.reason());
        assertTrue(e.getMessage().contains("means_l.webp") && e.getMessage().contains("zip")
                && e.getMessage().contains("more") && !e.getMessage().contains("\n"), e.getMessage());
    }
}
