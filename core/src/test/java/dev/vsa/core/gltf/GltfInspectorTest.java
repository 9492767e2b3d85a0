package dev.vsa.core.gltf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.testing.TestFixtures;
import dev.vsa.core.validate.Info;
import dev.vsa.core.validate.ValidationReport;
import dev.vsa.core.validate.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GltfInspectorTest {
    @TempDir
    Path dir;

    /** Expected totals are what the Khronos glTF-Validator 2.0.0-dev.3.10 reports in its info for each file. */
    @ParameterizedTest
    @CsvSource({
            "gltf/Box.glb, 1, 24, 12, 0",
            "gltf/BoxMeshopt.glb, 1, 24, 12, 0",
            "gltf/BoxTextured_glTF/BoxTextured.gltf, 1, 24, 12, 0",
            "gltf/BoxVertexColors.glb, 1, 24, 12, 0",
            "gltf/Box_glTF-Embedded/Box.gltf, 1, 24, 12, 0",
            "gltf/Box_glTF/Box.gltf, 1, 24, 12, 0",
            "gltf/TwoCubes.glb, 2, 48, 24, 0",
            // the stock validator reports no info for it (it rejects the splat attributes): counted by hand
            "splats/khr_conformance_matrix.glb, 15, 15, 0, 15",
    })
    void inspect_totalsAsKhronos(String fixture, int drawCalls, long vertices, long triangles, long splats)
            throws IOException {
        GltfInspection.Totals t = GltfInspector.inspect(TestFixtures.path(fixture)).totals();
        assertEquals(new GltfInspection.Totals(drawCalls, vertices, triangles, splats), t);
    }

    @ParameterizedTest
    @CsvSource({"gltf/Box.glb", "gltf/BoxMeshopt.glb", "gltf/BoxTextured_glTF/BoxTextured.gltf",
            "gltf/BoxVertexColors.glb", "gltf/Box_glTF-Embedded/Box.gltf", "gltf/Box_glTF/Box.gltf", "gltf/TwoCubes.glb",
            "splats/khr_conformance_matrix.glb"})
    void inspect_totalsEqualValidatorInfo(String fixture) throws IOException {
        Path file = TestFixtures.path(fixture);
        ValidationReport report = Validator.validate(file);
        Info info = report.info();
        assertTrue(info != null && info.drawCallCount() != null, "the glTF validator's info for " + fixture);
        GltfInspection.Totals t = GltfInspector.inspect(file).totals();
        assertEquals(info.drawCallCount().intValue(), t.drawCallCount());
        assertEquals(info.totalVertexCount().longValue(), t.totalVertexCount());
        assertEquals(info.totalTriangleCount().longValue(), t.totalTriangleCount());
        if (info.splatCount() != null) {
            assertEquals(info.splatCount().longValue(), t.splatCount());
        }
    }

    @Test
    void inspect_texturedBox() throws IOException {
        GltfInspection i = GltfInspector.inspect(TestFixtures.path("gltf/BoxTextured_glTF/BoxTextured.gltf"));
        assertEquals("gltf", i.container());
        assertEquals(new GltfInspection.Asset("2.0", null, "COLLADA2GLTF", null), i.asset());
        assertEquals(0, i.defaultScene());
        assertEquals(List.of(new GltfInspection.Image(null, "external", "CesiumLogoFlat.png", null, "image/png",
                23516L, 256, 256)), i.images());
        assertEquals(List.of(new GltfInspection.Texture(null, 0, 0, "image/png", 256, 256)), i.textures());
        GltfInspection.Primitive p = i.meshes().get(0).primitives().get(0);
        assertEquals(new GltfInspection.Primitive(4, "TRIANGLES", 24, 36L, 12, List.of("NORMAL", "POSITION",
                "TEXCOORD_0"), 0, 0, List.of()), p);
        assertEquals(new GltfInspection.Material("Texture", "OPAQUE", false, 1, List.of()), i.materials().get(0));
        assertEquals(new GltfInspection.Bytes(768, 72, 23516, 0, 0, 24356), i.bytes());
    }

    @Test
    void inspect_glbImageFromBufferView() throws IOException {
        Path glb = dir.resolve("t.glb");
        GltfConverter.toGlb(TestFixtures.path("gltf/BoxTextured_glTF/BoxTextured.gltf"), glb);
        GltfInspection i = GltfInspector.inspect(glb);
        assertEquals("glb", i.container());
        GltfInspection.Image img = i.images().get(0);
        assertEquals(new GltfInspection.Image(null, "buffer-view", null, 3, "image/png", 23516L, 256, 256), img);
        assertEquals(23516, i.bytes().images());
    }

    @Test
    void inspect_animationsSkinsStripsAndBadReferences() throws IOException {
        // a skinned, animated file written by hand: one strip, one fan, one indexed primitive with a broken
        // index accessor, an animation whose input says 2.5 s, a skin of 2 joints
        String data = Base64.getEncoder().encodeToString(new byte[64]);
        Path f = Files.writeString(dir.resolve("a.gltf"), """
                {"asset": {"version": "2.0", "minVersion": "2.0", "copyright": "me"},
                 "extensionsUsed": ["KHR_materials_unlit", "KHR_materials_unlit"],
                 "buffers": [{"byteLength": 64, "uri": "data:application/octet-stream;base64,%s"}],
                 "bufferViews": [{"buffer": 0, "byteLength": 48}, {"buffer": 0, "byteOffset": 48, "byteLength": 8},
                                 {"buffer": 0, "byteOffset": 56, "byteLength": 8}],
                 "accessors": [{"bufferView": 0, "componentType": 5126, "count": 4, "type": "VEC3"},
                               {"bufferView": 1, "componentType": 5126, "count": 2, "type": "SCALAR", "max": [2.5], "min": [0]},
                               {"bufferView": 2, "componentType": 5126, "count": 2, "type": "SCALAR"}],
                 "meshes": [{"name": "m", "primitives": [
                     {"attributes": {"POSITION": 0}, "mode": 5},
                     {"attributes": {"NORMAL": 99, "POSITION": 0}, "mode": 6, "targets": [{"POSITION": 0}]},
                     {"attributes": {"POSITION": 0}, "indices": 42},
                     {"attributes": {}, "mode": 4}]}],
                 "materials": [{"extensions": {"KHR_materials_unlit": {}}, "alphaMode": "BLEND", "doubleSided": true,
                                "pbrMetallicRoughness": {"baseColorTexture": {"index": 0}}}],
                 "nodes": [{"mesh": 0, "skin": 0, "children": [1, 2]}, {"name": "j1"}, {"name": "j2"}],
                 "skins": [{"joints": [1, 2]}],
                 "animations": [{"name": "walk", "channels": [{"sampler": 0, "target": {"node": 1, "path": "weights"}}],
                                 "samplers": [{"input": 1, "output": 2}]}]}
                """.formatted(data));
        GltfInspection i = GltfInspector.inspect(f);
        assertEquals(new GltfInspection.Asset("2.0", "2.0", null, "me"), i.asset());
        assertEquals(List.of("KHR_materials_unlit"), i.extensionsUsed());
        assertNull(i.defaultScene());
        assertEquals(List.of(new GltfInspection.Animation("walk", 1, 1, 2.5)), i.animations());
        assertEquals(List.of(new GltfInspection.Skin(null, 2)), i.skins());
        assertEquals(new GltfInspection.Node(null, 0, 0, null, List.of(1, 2)), i.nodes().get(0));
        assertEquals(new GltfInspection.Material(null, "BLEND", true, 1, List.of("KHR_materials_unlit")),
                i.materials().get(0));
        List<GltfInspection.Primitive> p = i.meshes().get(0).primitives();
        assertEquals(2, p.get(0).triangles()); // strip of 4 vertices
        assertEquals(4, p.get(1).vertexCount()); // NORMAL's accessor 99 does not exist: POSITION counts
        assertEquals(1, p.get(1).targets());
        assertNull(p.get(2).indexCount()); // indices 42 does not exist: drawn as 4 vertices
        assertEquals(1, p.get(2).triangles());
        assertEquals(-1, p.get(3).vertexCount());
        assertEquals(new GltfInspection.Totals(4, 12, 2 + 2 + 1, 0), i.totals());
        assertEquals(new GltfInspection.Bytes(48, 0, 0, 16, 0, 64), i.bytes());
    }

    @Test
    void inspect_json() throws IOException {
        GltfInspection i = GltfInspector.inspect(TestFixtures.path("gltf/Box.glb"));
        JsonNode n = new ObjectMapper().valueToTree(i);
        assertEquals(12, n.at("/totals/totalTriangleCount").asInt());
        assertEquals("TRIANGLES", n.at("/meshes/0/primitives/0/modeName").asText());
        assertEquals(false, n.at("/nodes/0").has("mesh") && n.at("/nodes/0/mesh").isNull());
    }

    @Test
    void inspect_notJson() throws IOException {
        Path f = Files.writeString(dir.resolve("x.gltf"), "[1, 2]");
        assertEquals(ErrorCode.GLTF_BAD_JSON,
                assertThrows(MalformedInputException.class, () -> GltfInspector.inspect(f)).code());
    }

    @Test
    void inspect_missingExternalImage() throws IOException {
        Path f = Files.writeString(dir.resolve("x.gltf"), """
                {"asset": {"version": "2.0"}, "images": [{"uri": "nope.png"}, {"uri": "../up.png"}]}
                """);
        GltfInspection i = GltfInspector.inspect(f);
        assertEquals(new GltfInspection.Image(null, "external", "nope.png", null, null, null, null, null),
                i.images().get(0));
        assertNull(i.images().get(1).byteLength());
    }
}
