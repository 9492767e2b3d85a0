package dev.vsa.cli.commands;

import dev.vsa.cli.remote.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The files {@code vsa upload x.gltf} sends with the .gltf. */
class UploadPartsTest {
    @Test
    void parts_pathWithDotDot_keepsResources(@TempDir Path dir) throws Exception {
        Path g = Files.createDirectories(dir.resolve("g"));
        Files.createDirectories(dir.resolve("work"));
        Files.writeString(g.resolve("Box.gltf"), "{\"asset\":{\"version\":\"2.0\"},\"buffers\":[{\"uri\":\"Box0.bin\","
                + "\"byteLength\":4}],\"images\":[{\"uri\":\"tex%20ture.png\"}]}");
        Files.write(g.resolve("Box0.bin"), new byte[4]);
        Files.write(g.resolve("tex ture.png"), new byte[8]);
        // as typed from the work folder: vsa upload ../g/Box.gltf
        List<ApiClient.UploadFile> parts = Upload.parts(dir.resolve("work/../g/Box.gltf"));
        assertEquals(List.of("Box.gltf", "Box0.bin", "tex ture.png"), parts.stream().map(ApiClient.UploadFile::name).toList());
    }
}
