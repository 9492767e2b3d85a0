package dev.vsa.core.gltf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.javagl.jgltf.model.AccessorModel;
import de.javagl.jgltf.model.GltfModel;
import de.javagl.jgltf.model.ImageModel;
import de.javagl.jgltf.model.io.GltfModelReader;
import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.gltf.resource.Json;
import dev.vsa.core.testing.TestFixtures;
import dev.vsa.core.validate.Issue;
import dev.vsa.core.validate.Severity;
import dev.vsa.core.validate.ValidationOptions;
import dev.vsa.core.validate.ValidationReport;
import dev.vsa.core.validate.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GltfConverterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"gltf/Box_glTF/Box.gltf", "gltf/Box_glTF-Embedded/Box.gltf",
            "gltf/BoxTextured_glTF/BoxTextured.gltf", "gltf/Box.glb", "gltf/BoxVertexColors.glb", "gltf/TwoCubes.glb",
            "gltf/BoxMeshopt.glb", "splats/khr_conformance_matrix.glb"})
    void toGlb_keepsAccessorsImagesAndStructure(String fixture) throws IOException {
        Path in = TestFixtures.path(fixture);
        Path out = dir.resolve("out.glb");
        GltfConverter.toGlb(in, out);

        GltfSource glb = GltfSource.open(out);
        assertTrue(glb.glb);
        assertEquals(Files.size(out), glb.fileSize);
        assertEquals(0, Files.size(out) % 4);
        for (JsonNode img : Json.array(glb.json, "images")) {
            assertFalse(img.has("uri"));
            assertTrue(img.has("bufferView") && img.has("mimeType"));
        }
        assertTrue(Json.array(glb.json, "buffers").stream().filter(b -> !b.has("extensions")).count() <= 1);
        assertSameData(in, out);
        assertEquals(structure(GltfSource.open(in).json, true), structure(glb.json, true));
        assertNoNewIssues(in, out);
        assertNoTempFiles();
    }

    @ParameterizedTest
    @CsvSource({"gltf/Box_glTF/Box.gltf, false", "gltf/Box_glTF/Box.gltf, true",
            "gltf/Box_glTF-Embedded/Box.gltf, false", "gltf/Box_glTF-Embedded/Box.gltf, true",
            "gltf/BoxTextured_glTF/BoxTextured.gltf, false", "gltf/BoxTextured_glTF/BoxTextured.gltf, true"})
    void roundTrip_gltfToGlbToGltf(String fixture, boolean embed) throws IOException {
        Path in = TestFixtures.path(fixture);
        Path glb = dir.resolve("mid.glb");
        Path back = Files.createDirectories(dir.resolve("back")).resolve("model.gltf");
        GltfConverter.toGlb(in, glb);
        GltfConverter.toGltf(glb, back, embed);

        assertSameData(in, back);
        ObjectNode original = GltfSource.open(in).json;
        ObjectNode result = GltfSource.open(back).json;
        assertEquals(structure(original, false), structure(result, false));
        try (Stream<Path> files = Files.list(back.getParent())) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            List<String> expected = embed ? List.of("model.gltf")
                    : Json.array(original, "images").isEmpty() ? List.of("model.bin", "model.gltf")
                    : List.of("model.bin", "model.gltf", "model_image0.png");
            assertEquals(expected, names);
        }
        for (JsonNode b : Json.array(result, "buffers")) {
            assertEquals(embed, Json.text(b, "uri").startsWith("data:"));
        }
        assertNoNewIssues(in, back);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gltf/Box.glb", "gltf/BoxVertexColors.glb", "gltf/TwoCubes.glb", "gltf/BoxMeshopt.glb",
            "splats/khr_conformance_matrix.glb"})
    void roundTrip_glbToGltfToGlb(String fixture) throws IOException {
        Path in = TestFixtures.path(fixture);
        Path gltf = dir.resolve("mid.gltf");
        Path back = dir.resolve("back.glb");
        GltfConverter.toGltf(in, gltf, false);
        GltfConverter.toGlb(gltf, back);
        assertSameData(in, gltf);
        assertSameData(in, back);
        assertEquals(structure(GltfSource.open(in).json, false), structure(GltfSource.open(back).json, false));
        assertNoNewIssues(in, gltf);
        assertNoNewIssues(in, back);
    }

    @Test
    void toGltf_imageInBufferViewBecomesFile() throws IOException {
        Path glb = dir.resolve("textured.glb");
        GltfConverter.toGlb(TestFixtures.path("gltf/BoxTextured_glTF/BoxTextured.gltf"), glb);
        Path out = dir.resolve("t.gltf");
        GltfConverter.toGltf(glb, out, false);
        assertArrayEquals(Files.readAllBytes(TestFixtures.path("gltf/BoxTextured_glTF/CesiumLogoFlat.png")),
                Files.readAllBytes(dir.resolve("t_image0.png")));
        // the image's bytes are cut from the buffer again
        assertEquals(Files.size(TestFixtures.path("gltf/BoxTextured_glTF/BoxTextured0.bin")),
                Files.size(dir.resolve("t.bin")));
    }

    @Test
    void toGltf_sameFolderAsInput() throws IOException {
        Path copy = dir.resolve("Box.glb");
        Files.copy(TestFixtures.path("gltf/Box.glb"), copy);
        GltfConverter.toGltf(copy, dir.resolve("Box.gltf"), false);
        assertEquals("Box.bin", Json.text(Json.element(GltfSource.open(dir.resolve("Box.gltf")).json, "buffers", 0),
                "uri"));
        assertSameData(copy, dir.resolve("Box.gltf"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "../secret.bin | GLTF_URI_REJECTED",
            "sub/../../secret.bin | GLTF_URI_REJECTED",
            "%2E%2E/secret.bin | GLTF_URI_REJECTED",
            "/etc/passwd | GLTF_URI_REJECTED",
            "file:///etc/passwd | GLTF_URI_REJECTED",
            "https://example.com/a.bin | GLTF_URI_REJECTED",
            "missing.bin | GLTF_BAD_REFERENCE",
            "data:application/octet-stream;base64,@@@@ | GLTF_BAD_REFERENCE"})
    void toGlb_badBufferUri(String uri, ErrorCode code) throws IOException {
        Path sub = Files.createDirectories(dir.resolve("model"));
        Files.write(dir.resolve("secret.bin"), new byte[16]);
        Path gltf = Files.writeString(sub.resolve("m.gltf"), """
                {"asset": {"version": "2.0"}, "buffers": [{"byteLength": 16, "uri": "%s"}]}
                """.formatted(uri));
        Path out = dir.resolve("out.glb");
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> GltfConverter.toGlb(gltf, out));
        assertEquals(code, e.code(), e.toString());
        assertEquals("/buffers/0/uri", e.where());
        assertFalse(Files.exists(out));
        assertNoTempFiles();
    }

    @Test
    void toGlb_linkLeavingTheFolder() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("model"));
        Files.write(dir.resolve("secret.bin"), new byte[16]);
        Files.createSymbolicLink(sub.resolve("link.bin"), dir.resolve("secret.bin"));
        Path gltf = Files.writeString(sub.resolve("m.gltf"), """
                {"asset": {"version": "2.0"}, "buffers": [{"byteLength": 16, "uri": "link.bin"}]}
                """);
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> GltfConverter.toGlb(gltf, dir.resolve("o.glb")));
        assertEquals(ErrorCode.GLTF_URI_REJECTED, e.code());
    }

    @Test
    void toGlb_bufferShorterThanByteLength() throws IOException {
        Files.write(dir.resolve("a.bin"), new byte[8]);
        Path gltf = Files.writeString(dir.resolve("m.gltf"), """
                {"asset": {"version": "2.0"}, "buffers": [{"byteLength": 16, "uri": "a.bin"}]}
                """);
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> GltfConverter.toGlb(gltf, dir.resolve("o.glb")));
        assertEquals(ErrorCode.GLTF_BAD_REFERENCE, e.code());
    }

    @Test
    void toGlb_percentEncodedNameInsideFolder() throws IOException {
        Files.write(dir.resolve("my data.bin"), new byte[] {1, 2, 3, 4});
        Path gltf = Files.writeString(dir.resolve("m.gltf"), """
                {"asset": {"version": "2.0"}, "buffers": [{"byteLength": 4, "uri": "my%20data.bin"}],
                 "bufferViews": [{"buffer": 0, "byteLength": 4}]}
                """);
        Path out = dir.resolve("o.glb");
        GltfConverter.toGlb(gltf, out);
        GltfSource glb = GltfSource.open(out);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, glb.bufferView(0).read(0, 16));
    }

    @Test
    void toGlb_notGltf() throws IOException {
        Path f = Files.writeString(dir.resolve("x.gltf"), "{ not json");
        assertEquals(ErrorCode.GLTF_BAD_JSON, assertThrows(MalformedInputException.class,
                () -> GltfConverter.toGlb(f, dir.resolve("o.glb"))).code());
        assertNoTempFiles();
    }

    @Test
    void toGltf_truncatedGlb() throws IOException {
        byte[] glb = Files.readAllBytes(TestFixtures.path("gltf/Box.glb"));
        Path f = Files.write(dir.resolve("t.glb"), java.util.Arrays.copyOf(glb, glb.length - 100));
        assertEquals(ErrorCode.TRUNCATED, assertThrows(MalformedInputException.class,
                () -> GltfConverter.toGltf(f, dir.resolve("o.gltf"), false)).code());
    }

    @Test
    void toGltf_glbVersion1() throws IOException {
        byte[] glb = Files.readAllBytes(TestFixtures.path("gltf/Box.glb"));
        ByteBuffer.wrap(glb).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 1);
        Path f = Files.write(dir.resolve("v1.glb"), glb);
        assertEquals(ErrorCode.GLB_BAD_HEADER, assertThrows(MalformedInputException.class,
                () -> GltfConverter.toGltf(f, dir.resolve("o.gltf"), true)).code());
    }

    @Test
    void toGlb_missingInput() {
        assertThrows(IllegalArgumentException.class, () -> GltfConverter.toGlb(dir.resolve("nope.gltf"),
                dir.resolve("o.glb")));
    }

    // Every accessor's bytes, and every image's, as jgltf (an independent reader) sees them; for meshopt
    // files, which jgltf cannot decode, every bufferView's bytes.
    private static void assertSameData(Path expected, Path actual) throws IOException {
        GltfSource sa = GltfSource.open(expected);
        if (Json.strings(sa.json, "extensionsUsed").contains("EXT_meshopt_compression")) {
            GltfSource sb = GltfSource.open(actual);
            List<JsonNode> views = Json.array(sa.json, "bufferViews");
            assertEquals(views.size(), Json.array(sb.json, "bufferViews").size());
            for (int i = 0; i < views.size(); i++) {
                if (Json.element(sa.json, "buffers", Json.intOr(views.get(i), "buffer", -1)).has("extensions")) {
                    continue; // fallback buffer: no data
                }
                assertArrayEquals(sa.bufferView(i).read(0, 1 << 20), sb.bufferView(i).read(0, 1 << 20), "view " + i);
            }
            return;
        }
        GltfModel a = new GltfModelReader().read(expected);
        GltfModel b = new GltfModelReader().read(actual);
        List<AccessorModel> as = a.getAccessorModels();
        List<AccessorModel> bs = b.getAccessorModels();
        assertEquals(as.size(), bs.size());
        for (int i = 0; i < as.size(); i++) {
            if (as.get(i).getBufferViewModel() == null) {
                continue;
            }
            assertEquals(as.get(i).getAccessorData().createByteBuffer(), bs.get(i).getAccessorData().createByteBuffer(),
                    "accessor " + i);
        }
        List<ImageModel> ai = a.getImageModels();
        List<ImageModel> bi = b.getImageModels();
        assertEquals(ai.size(), bi.size());
        for (int i = 0; i < ai.size(); i++) {
            assertEquals(ai.get(i).getImageData(), bi.get(i).getImageData(), "image " + i);
        }
    }

    // The JSON without what repacking legitimately changes: buffers, where views and images live.
    private static JsonNode structure(ObjectNode json, boolean dropViews) {
        ObjectNode s = json.deepCopy();
        s.remove("buffers");
        if (dropViews) {
            s.remove("bufferViews");
        }
        for (JsonNode v : Json.array(s, "bufferViews")) {
            ((ObjectNode) v).remove(List.of("buffer", "byteOffset"));
        }
        for (JsonNode img : Json.array(s, "images")) {
            ((ObjectNode) img).remove(List.of("uri", "bufferView", "mimeType"));
        }
        if (dropViews) {
            for (JsonNode a : Json.array(s, "accessors")) {
                ((ObjectNode) a).remove("bufferView");
            }
        }
        return s;
    }

    // The output has no error or warning its input did not have (the stock Khronos validator, run by hand over
    // the same conversions, reports exactly the inputs' issues).
    private static void assertNoNewIssues(Path input, Path output) throws IOException {
        Map<String, Long> before = seriousCodes(input);
        Map<String, Long> after = seriousCodes(output);
        after.forEach((code, n) -> assertTrue(n <= before.getOrDefault(code, 0L),
                () -> output.getFileName() + " has new " + code + ": " + after + " vs " + before));
    }

    private static Map<String, Long> seriousCodes(Path file) throws IOException {
        ValidationReport r = Validator.validate(file, ValidationOptions.defaults().withMaxIssues(0));
        return r.issues().messages().stream().filter(i -> i.severity().ordinal() <= Severity.WARNING.ordinal())
                .collect(Collectors.groupingBy(Issue::code, Collectors.counting()));
    }

    private void assertNoTempFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }
}
