package dev.vsa.core.gltf;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.testing.TestFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-damaged GLBs and glTFs: each container problem has its code and byte offset. */
class GltfSourceTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
            // int at byte, new value, expected code, where
            "4, 3, GLB_BAD_HEADER, byte 4",                  // container version 3
            "8, 99999, TRUNCATED, byte 8",                   // length beyond the file
            "8, 12, GLB_BAD_HEADER, byte 8",                 // length too small for a chunk
            "12, 99999, TRUNCATED, byte 12",                 // JSON chunk beyond the end
            "16, 5130562, GLB_BAD_HEADER, byte 16",          // first chunk is BIN, not JSON
    })
    void open_damagedGlb(int at, int value, ErrorCode code, String where) throws IOException {
        byte[] glb = Files.readAllBytes(TestFixtures.path("gltf/Box.glb"));
        ByteBuffer.wrap(glb).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
        Path f = Files.write(dir.resolve("d.glb"), glb);
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> GltfInspector.inspect(f));
        assertEquals(code, e.code());
        assertEquals(where, e.where());
    }

    @Test
    void open_binChunkBeyondEnd() throws IOException {
        byte[] glb = Files.readAllBytes(TestFixtures.path("gltf/Box.glb"));
        ByteBuffer b = ByteBuffer.wrap(glb).order(ByteOrder.LITTLE_ENDIAN);
        int binHeader = 20 + b.getInt(12);
        b.putInt(binHeader, 1 << 30);
        Path f = Files.write(dir.resolve("d.glb"), glb);
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> GltfInspector.inspect(f));
        assertEquals(ErrorCode.TRUNCATED, e.code());
        assertEquals("byte " + binHeader, e.where());
    }

    @Test
    void open_jsonChunkNotJson() throws IOException {
        byte[] glb = Files.readAllBytes(TestFixtures.path("gltf/Box.glb"));
        Arrays.fill(glb, 20, 30, (byte) '#');
        Path f = Files.write(dir.resolve("d.glb"), glb);
        assertEquals(ErrorCode.GLTF_BAD_JSON,
                assertThrows(MalformedInputException.class, () -> GltfInspector.inspect(f)).code());
    }

    @Test
    void open_truncatedGltf_whereInVsaWords() throws IOException {
        // the first 17 bytes of Box.gltf: the object opened on line 2 ("asset": {) is never closed
        byte[] gltf = Files.readAllBytes(TestFixtures.path("gltf/Box_glTF/Box.gltf"));
        Path f = Files.write(dir.resolve("t17-Box.gltf"), Arrays.copyOf(gltf, 17));
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> GltfInspector.inspect(f));
        assertEquals(ErrorCode.GLTF_BAD_JSON, e.code());
        assertTrue(e.getMessage().endsWith("(start marker at line 2, column 14)"), e::getMessage);
        assertFalse(e.getMessage().contains("Source"), e::getMessage);
    }

    @Test
    void open_shortGlb() throws IOException {
        Path f = Files.write(dir.resolve("s.glb"), new byte[] {'g', 'l', 'T', 'F', 2, 0, 0, 0});
        assertEquals(ErrorCode.GLB_BAD_HEADER,
                assertThrows(MalformedInputException.class, () -> GltfInspector.inspect(f)).code());
    }

    @Test
    void open_emptyFile() throws IOException {
        Path f = Files.createFile(dir.resolve("e.gltf"));
        assertEquals(ErrorCode.EMPTY_FILE,
                assertThrows(MalformedInputException.class, () -> GltfInspector.inspect(f)).code());
    }
}
