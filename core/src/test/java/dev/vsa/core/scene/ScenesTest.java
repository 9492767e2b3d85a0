package dev.vsa.core.scene;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.testing.TestFixtures;
import dev.vsa.core.format.Codecs;
import dev.vsa.core.splat.Splats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ScenesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
            // fixture, kind, format, gaussianSplatting, version, variant
            "gltf/Box.glb, MESH, GLB, false, 2.0, ''",
            "gltf/BoxMeshopt.glb, MESH, GLB, false, 2.0, ''",
            "gltf/Box_glTF/Box.gltf, MESH, GLTF, false, 2.0, ''",
            "gltf/Box_glTF-Embedded/Box.gltf, MESH, GLTF, false, 2.0, ''",
            "gltf/BoxTextured_glTF/BoxTextured.gltf, MESH, GLTF, false, 2.0, ''",
            "splats/khr_conformance_matrix.glb, SPLAT, GLB, true, 2.0, ''",
            "splats/khr-spz/3dtt-UnitSH_legacy.glb, SPLAT, GLB, true, 2.0, ''",
            "splats/khr-spz/3dtt-UnitSH_legacy.gltf, SPLAT, GLTF, true, 2.0, ''",
            "splats/unitCube-ascii.ply, SPLAT, PLY, false, 1.0, ascii",
            "splats/test-sh3.compressed.ply, SPLAT, COMPRESSED_PLY, false, 1.0, binary_little_endian",
            "splats/minimal.splat, SPLAT, SPLAT, false, , ''",
            "splats/minimal-v2.spz, SPLAT, SPZ, false, 2, gzip",
            "splats/minimal-v3.spz, SPLAT, SPZ, false, 3, gzip",
            "splats/minimal-v4.spz, SPLAT, SPZ, false, 4, zstd",
            "splats/minimal-raw.spz, SPLAT, SPZ, false, 2, uncompressed",
            "splats/minimal.ksplat, SPLAT, KSPLAT, false, 0.1, compression 0",
    })
    void detect_fixture(String fixture, SceneKind kind, SceneFormat format, boolean gs, String version,
                        String variant) throws IOException {
        DetectedScene scene = Scenes.detect(TestFixtures.path(fixture));
        assertEquals(new DetectedScene(kind, format, gs, version, variant), scene);
    }

    /** The scene detector and the splat codecs' detection agree on every splat fixture a codec reads. */
    @ParameterizedTest
    @ValueSource(strings = {"splats/unitCube-ascii.ply", "splats/test-sh3.compressed.ply", "splats/minimal.splat",
            "splats/minimal-v2.spz", "splats/minimal-v3.spz", "splats/minimal-v4.spz", "splats/minimal-raw.spz",
            "splats/khr_conformance_matrix.glb", "splats/minimal.ksplat"})
    void detect_agreesWithSplatCodecs(String fixture) throws IOException {
        Path file = TestFixtures.path(fixture);
        DetectedScene scene = Scenes.detect(file);
        // Every splat format the detector names has a codec now: a missing one is a failure, not a skip.
        assertTrue(Codecs.all().stream().anyMatch(c -> c.format() == scene.format().splatFormat()),
                "no codec for " + scene.format());
        assertEquals(scene.format().splatFormat(), Splats.detect(file));
    }

    @Test
    void detect_ksplatCutInHalf_isKsplatWhoseReaderSaysTruncated() throws IOException {
        byte[] whole = Files.readAllBytes(TestFixtures.path("splats/minimal.ksplat"));
        Path half = dir.resolve("half.ksplat");
        Files.write(half, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertEquals(SceneFormat.KSPLAT, Scenes.detect(half).format()); // was UNKNOWN_FORMAT: "not a scene format"
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> Splats.open(half).close());
        assertEquals(ErrorCode.KSPLAT_TRUNCATED, e.code(), e.toString());
    }

    @Test
    void detect_contentWinsOverName() throws IOException {
        Path renamed = dir.resolve("really-a-glb.splat");
        Files.copy(TestFixtures.path("gltf/Box.glb"), renamed);
        assertEquals(SceneFormat.GLB, Scenes.detect(renamed).format());
    }

    @Test
    void detect_glbWithoutExtensionName() throws IOException {
        Path renamed = dir.resolve("upload.bin");
        Files.copy(TestFixtures.path("splats/khr_conformance_matrix.glb"), renamed);
        assertEquals(SceneKind.SPLAT, Scenes.detect(renamed).kind());
    }

    @Test
    void detect_splatOnlyByName() throws IOException {
        Path renamed = dir.resolve("data.bin");
        Files.copy(TestFixtures.path("splats/minimal.splat"), renamed);
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> Scenes.detect(renamed));
        assertEquals(ErrorCode.UNKNOWN_FORMAT, e.code());
    }

    /** A .splat has no magic: its first bytes are a float's, and 1 in 256 begins with '{' (or gzip's 1F 8B). */
    @ParameterizedTest
    @ValueSource(strings = {"7b", "207b", "1f8b"})
    void detect_splatStartingLikeJsonOrGzip(String firstBytes) throws IOException {
        byte[] data = Files.readAllBytes(TestFixtures.path("splats/minimal.splat"));
        byte[] start = java.util.HexFormat.of().parseHex(firstBytes);
        System.arraycopy(start, 0, data, 0, start.length);
        Path file = Files.write(dir.resolve("random.splat"), data);
        assertEquals(new DetectedScene(SceneKind.SPLAT, SceneFormat.SPLAT, false, null, ""), Scenes.detect(file));
    }

    /** As bench/MixedLoad.java makes them (random positions in -1..1): ~0.4% of these were refused before. */
    @Test
    void detect_randomSplatsByName() throws IOException {
        java.util.SplittableRandom r = new java.util.SplittableRandom(42);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(32 * 64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        Path file = dir.resolve("up.splat");
        for (int i = 0; i < 2000; i++) {
            b.clear();
            while (b.hasRemaining()) {
                b.putFloat((float) r.nextDouble(-1, 1));
            }
            Files.write(file, b.array());
            assertEquals(SceneFormat.SPLAT, Scenes.detect(file).format(), "seed 42, file " + i);
        }
    }

    @Test
    void detect_emptyFile() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.glb"));
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> Scenes.detect(empty));
        assertEquals(ErrorCode.EMPTY_FILE, e.code());
    }

    @ParameterizedTest
    @CsvSource({
            "notes.txt, hello world",
            "data.json, '{\"a\": 1}'",
            "model.glb, glTX not a glb at all",
    })
    void detect_unknownContent(String name, String content) throws IOException {
        Path file = Files.writeString(dir.resolve(name), content);
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> Scenes.detect(file));
        assertEquals(ErrorCode.UNKNOWN_FORMAT, e.code());
    }

    @Test
    void detect_gzipThatIsNotSpz() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write("just some text, not NGSP".getBytes(StandardCharsets.US_ASCII));
        }
        Path file = Files.write(dir.resolve("x.gz"), bytes.toByteArray());
        assertEquals(ErrorCode.UNKNOWN_FORMAT,
                assertThrows(MalformedInputException.class, () -> Scenes.detect(file)).code());
    }

    @Test
    void detect_brokenGltfNamedGltf() throws IOException {
        Path file = Files.writeString(dir.resolve("broken.gltf"), "{ \"meshes\": [ {");
        DetectedScene scene = Scenes.detect(file);
        assertEquals(new DetectedScene(SceneKind.MESH, SceneFormat.GLTF, false, null, ""), scene);
    }

    @Test
    void detect_gltfWithSplatPrimitive() throws IOException {
        Path file = Files.writeString(dir.resolve("s.gltf"), """
                {"asset": {"version": "2.0"}, "extensionsUsed": ["KHR_gaussian_splatting"],
                 "meshes": [{"primitives": [{"mode": 0, "attributes": {"POSITION": 0},
                   "extensions": {"KHR_gaussian_splatting": {"kernel": "ellipse"}}}]}]}
                """);
        assertEquals(new DetectedScene(SceneKind.SPLAT, SceneFormat.GLTF, true, "2.0", ""), Scenes.detect(file));
    }

    @Test
    void detect_extensionDeclaredButUnused() throws IOException {
        Path file = Files.writeString(dir.resolve("s.gltf"), """
                {"asset": {"version": "2.0"}, "extensionsUsed": ["KHR_gaussian_splatting"]}
                """);
        assertEquals(new DetectedScene(SceneKind.MESH, SceneFormat.GLTF, true, "2.0", ""), Scenes.detect(file));
    }

    @Test
    void detect_plyWithCrLf() throws IOException {
        Path file = Files.writeString(dir.resolve("a"), "ply\r\nformat binary_little_endian 1.0\r\n"
                + "element vertex 0\r\nproperty float x\r\nend_header\r\n");
        assertEquals(new DetectedScene(SceneKind.SPLAT, SceneFormat.PLY, false, "1.0", "binary_little_endian"),
                Scenes.detect(file));
    }

    @Test
    void detect_directory() {
        assertThrows(IllegalArgumentException.class, () -> Scenes.detect(dir));
    }
}
