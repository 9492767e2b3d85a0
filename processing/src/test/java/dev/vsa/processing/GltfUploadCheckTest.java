package dev.vsa.processing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A .gltf sent alone is checked for the files it names, as a stream and only up to the configured size. */
class GltfUploadCheckTest {
    /** Top-level buffers and images name files; the same key inside an extension or an accessor does not. */
    private static final String GLTF = """
            {"asset": {"version": "2.0", "extras": {"buffers": [{"uri": "not-a-buffer.bin"}]}},
             "accessors": [{"uri": "nor-this.bin", "count": 3}],
             "buffers": [{"byteLength": 4, "uri": "data:application/octet-stream;base64,AAAAAA=="}, 7,
                         {"byteLength": 4, "uri": "mesh%20data.bin", "extras": {"uri": "nested.bin"}}],
             "images": [{"uri": "tex.png"}, {"bufferView": 0}],
             "extensions": {"EXT_x": {"images": [{"uri": "ext.png"}]}}}
            """;

    @Test
    void detectSingle_gltfNamingFiles_refusedNamingOnlyTopLevelResources(@TempDir Path dir) throws Exception {
        Path gltf = Files.writeString(dir.resolve("scene.gltf"), GLTF);
        UploadRejectedException e = assertThrows(UploadRejectedException.class,
                () -> SceneService.detectSingle("scene.gltf", gltf, 1 << 20));
        assertEquals(UploadRejectedException.Reason.BAD_PARTS, e.reason());
        assertTrue(e.getMessage().contains("refers to files not in the upload: mesh data.bin, tex.png ("),
                e.getMessage());
    }

    @Test
    void detectSingle_gltfLargerThanTheCheckLimit_leftToItsJob(@TempDir Path dir) throws Exception {
        Path gltf = Files.writeString(dir.resolve("scene.gltf"), GLTF);
        assertDoesNotThrow(() -> SceneService.detectSingle("scene.gltf", gltf, Files.size(gltf) - 1));
    }
}
