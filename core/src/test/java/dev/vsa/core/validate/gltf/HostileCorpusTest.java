package dev.vsa.core.validate.gltf;

import dev.vsa.core.validate.Issue;
import dev.vsa.core.validate.Severity;
import dev.vsa.core.validate.ValidationOptions;
import dev.vsa.core.validate.ValidationReport;
import dev.vsa.core.validate.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-made hostile files: each must give a report with the expected codes, never an exception, an
 * out-of-memory or a hang (every case is bounded by the test's own short run time).
 */
class HostileCorpusTest {
    @TempDir
    Path dir;

    private ValidationReport validate(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return Validator.validate(p, ValidationOptions.defaults());
    }

    private ValidationReport json(String name, String json) throws IOException {
        return validate(name, json.getBytes(StandardCharsets.UTF_8));
    }

    private static Set<String> codes(ValidationReport r) {
        Set<String> s = new TreeSet<>();
        for (Issue i : r.issues().messages()) {
            s.add(i.code());
        }
        return s;
    }

    private static void assertCode(ValidationReport r, String code) {
        assertTrue(codes(r).contains(code), () -> code + " not in " + r.issues().messages());
    }

    private static final String ASSET = "\"asset\":{\"version\":\"2.0\"}";

    @Test
    void validate_deepNesting() throws Exception {
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        ValidationReport r = json("deep.gltf", "{" + ASSET + ",\"extras\":" + deep + "}");
        assertCode(r, "INVALID_JSON");
        assertFalse(r.isValid());
    }

    @Test
    void validate_deepObjectsInExtensions() throws Exception {
        String deep = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        assertCode(json("deep2.gltf", "{" + ASSET + ",\"extensions\":{\"X_y\":" + deep + "}}"), "INVALID_JSON");
    }

    @Test
    void validate_hugeCounts() throws Exception {
        ValidationReport r = json("counts.gltf", "{" + ASSET + ",\"buffers\":[{\"byteLength\":9007199254740991}],"
                + "\"bufferViews\":[{\"buffer\":0,\"byteLength\":9007199254740991,\"byteOffset\":9007199254740000}],"
                + "\"accessors\":[{\"bufferView\":0,\"componentType\":5126,\"count\":9007199254740991,\"type\":\"MAT4\"},"
                + "{\"componentType\":5126,\"count\":4000000000000,\"type\":\"VEC4\",\"sparse\":{\"count\":1,"
                + "\"indices\":{\"bufferView\":0,\"componentType\":5125},\"values\":{\"bufferView\":0}}}]}");
        assertCode(r, "ACCESSOR_TOO_LONG");
        assertCode(r, "UNUSED_OBJECT");
    }

    @Test
    void validate_syntheticHugeSparseAccessor() throws Exception {
        String data = Base64.getEncoder().encodeToString(new byte[16]);
        ValidationReport r = json("sparse.gltf", "{" + ASSET + ",\"buffers\":[{\"byteLength\":16,\"uri\":\"data:application/"
                + "octet-stream;base64," + data + "\"}],\"bufferViews\":[{\"buffer\":0,\"byteLength\":16}],"
                + "\"accessors\":[{\"componentType\":5126,\"count\":1000000000000,\"type\":\"SCALAR\",\"min\":[0],\"max\":[0],"
                + "\"sparse\":{\"count\":1,\"indices\":{\"bufferView\":0,\"componentType\":5125},\"values\":{\"bufferView\":0,"
                + "\"byteOffset\":4}}}]}");
        assertCode(r, "VALIDATION_LIMIT");
    }

    private static byte[] glb(int declaredLength, byte[]... chunks) {
        int len = 12;
        for (byte[] c : chunks) {
            len += c.length;
        }
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46546C67).putInt(2).putInt(declaredLength < 0 ? len : declaredLength);
        for (byte[] c : chunks) {
            b.put(c);
        }
        return b.array();
    }

    private static byte[] chunk(int length, int type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        return b.putInt(length).putInt(type).put(data).array();
    }

    private static byte[] jsonChunk(String json) {
        byte[] j = json.getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[(j.length + 3) & ~3];
        java.util.Arrays.fill(padded, (byte) ' ');
        System.arraycopy(j, 0, padded, 0, j.length);
        return chunk(padded.length, 0x4E4F534A, padded);
    }

    @Test
    void validate_glbChunkLengthPastEnd() throws Exception {
        ValidationReport r = validate("past.glb", glb(-1, jsonChunk("{" + ASSET + "}"), chunk(0xFFFFFFF0, 0x004E4942, new byte[8])));
        assertCode(r, "GLB_CHUNK_TOO_BIG");
        assertCode(r, "GLB_UNEXPECTED_END_OF_CHUNK_DATA");
    }

    @Test
    void validate_glbDeclaredLengthHuge() throws Exception {
        ValidationReport r = validate("len.glb", glb(0x7FFFFFF0, jsonChunk("{" + ASSET + "}")));
        assertCode(r, "GLB_LENGTH_MISMATCH");
    }

    @Test
    void validate_glbJsonChunkLengthHuge() throws Exception {
        ValidationReport r = validate("jsonlen.glb", glb(-1, chunk(0x7FFFFFF8, 0x4E4F534A, new byte[16])));
        assertCode(r, "GLB_UNEXPECTED_END_OF_CHUNK_DATA");
    }

    @Test
    void validate_bufferViewPastBuffer() throws Exception {
        ValidationReport r = validate("bv.glb", glb(-1, jsonChunk("{" + ASSET + ",\"buffers\":[{\"byteLength\":8}],"
                + "\"bufferViews\":[{\"buffer\":0,\"byteLength\":4000000000,\"byteOffset\":4}],\"accessors\":[{\"bufferView\":0,"
                + "\"componentType\":5126,\"count\":1000000000,\"type\":\"SCALAR\"}]}"), chunk(8, 0x004E4942, new byte[8])));
        assertCode(r, "BUFFER_VIEW_TOO_LONG");
    }

    /** A data: buffer of {@code n} zero bytes. */
    private static String dataBuffer(int n) {
        return "{\"byteLength\":" + n + ",\"uri\":\"data:application/octet-stream;base64,"
                + Base64.getEncoder().encodeToString(new byte[n]) + "\"}";
    }

    // Offsets and lengths near 2^63: their sums wrapped negative and passed the range checks (then a slice or a read
    // threw, or a loop ran over 2^62 elements). Each must be the range error the Khronos validator gives.

    @Test
    void validate_bufferViewOffsetPlusLengthPast2To63_tooLong() throws Exception {
        ValidationReport r = json("bv63.gltf", "{" + ASSET + ",\"buffers\":[" + dataBuffer(8) + "],"
                + "\"bufferViews\":[{\"buffer\":0,\"byteOffset\":4,\"byteLength\":9223372036854775806}],"
                + "\"images\":[{\"bufferView\":0,\"mimeType\":\"image/png\"}]}");
        assertCode(r, "BUFFER_VIEW_TOO_LONG");
    }

    @Test
    void validate_accessorLengthPast2To64_tooLong() throws Exception {
        // 4 * (2^62 + 1) bytes: wrapped, they were 4 and fitted the 8-byte view
        ValidationReport r = json("acc64.gltf", "{" + ASSET + ",\"buffers\":[" + dataBuffer(8) + "],"
                + "\"bufferViews\":[{\"buffer\":0,\"byteLength\":8}],\"accessors\":[{\"bufferView\":0,"
                + "\"componentType\":5126,\"count\":4611686018427387905,\"type\":\"SCALAR\"}]}");
        assertCode(r, "ACCESSOR_TOO_LONG");
    }

    @Test
    void validate_accessorOffsetsPast2To63_tooLong() throws Exception {
        ValidationReport r = json("off63.gltf", "{" + ASSET + ",\"buffers\":[" + dataBuffer(16) + "],"
                + "\"bufferViews\":[{\"buffer\":0,\"byteOffset\":8,\"byteLength\":8}],\"accessors\":[{\"bufferView\":0,"
                + "\"byteOffset\":9223372036854775800,\"componentType\":5126,\"count\":1,\"type\":\"SCALAR\"}]}");
        assertCode(r, "ACCESSOR_TOO_LONG");
        assertFalse(codes(r).contains("ACCESSOR_TOTAL_OFFSET_ALIGNMENT"), () -> r.issues().messages().toString());
    }

    @Test
    void validate_sparseIndicesLengthPast2To64_tooLong() throws Exception {
        ValidationReport r = json("sparse64.gltf", "{" + ASSET + ",\"buffers\":[" + dataBuffer(8) + "],"
                + "\"bufferViews\":[{\"buffer\":0,\"byteLength\":8}],\"accessors\":[{\"componentType\":5126,"
                + "\"count\":4611686018427387906,\"type\":\"SCALAR\",\"sparse\":{\"count\":4611686018427387905,"
                + "\"indices\":{\"bufferView\":0,\"componentType\":5125},\"values\":{\"bufferView\":0}}}]}");
        assertCode(r, "ACCESSOR_TOO_LONG");
    }

    @Test
    void validate_texCoord2To63_tooFewTexcoords() throws Exception {
        // texCoord + 1 wrapped to -2^63: "enough texture coordinates", then an array index of -1
        ValidationReport r = json("tc63.gltf", "{" + ASSET + ",\"buffers\":[" + dataBuffer(12) + "],"
                + "\"bufferViews\":[{\"buffer\":0,\"byteLength\":12}],\"accessors\":[{\"bufferView\":0,"
                + "\"componentType\":5126,\"count\":1,\"type\":\"VEC3\",\"min\":[0,0,0],\"max\":[0,0,0]}],"
                + "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0},\"material\":0}]}],"
                + "\"materials\":[{\"pbrMetallicRoughness\":{\"baseColorTexture\":{\"index\":0,"
                + "\"texCoord\":9223372036854775807}}}],\"textures\":[{}]}");
        assertCode(r, "MESH_PRIMITIVE_TOO_FEW_TEXCOORDS");
    }

    @Test
    void validate_cubicSplineInputCountTimes3Wraps_invalidOutputCount() throws Exception {
        // 3 * 6148914691236517206 wraps to 2, the output's count: the mismatch went unreported
        ValidationReport r = json("anim64.gltf", "{" + ASSET + ",\"nodes\":[{}],\"accessors\":[{\"componentType\":5126,"
                + "\"count\":6148914691236517206,\"type\":\"SCALAR\",\"min\":[0],\"max\":[1]},{\"componentType\":5126,"
                + "\"count\":2,\"type\":\"VEC3\"}],\"animations\":[{\"channels\":[{\"sampler\":0,\"target\":{\"node\":0,"
                + "\"path\":\"translation\"}}],\"samplers\":[{\"input\":0,\"output\":1,\"interpolation\":\"CUBICSPLINE\"}]}]}");
        assertCode(r, "ANIMATION_SAMPLER_OUTPUT_ACCESSOR_INVALID_COUNT");
    }

    @Test
    void validate_parentDirectoryUri() throws Exception {
        Files.write(dir.resolve("secret.bin"), new byte[16]);
        ValidationReport r = json("sub/escape.gltf", "{" + ASSET + ",\"buffers\":[{\"byteLength\":16,\"uri\":\"../secret.bin\"},"
                + "{\"byteLength\":16,\"uri\":\"a/../../secret.bin\"},{\"byteLength\":16,\"uri\":\"%2e%2e/secret.bin\"}]}");
        // refused, and reported as the Khronos validator reports a resource it cannot load: an error
        long refused = r.issues().messages().stream().filter(i -> i.code().equals("IO_ERROR")
                && i.severity() == Severity.ERROR && i.message().contains("out of")).count();
        assertTrue(refused == 3, () -> r.issues().messages().toString());
        assertFalse(r.isValid());
    }

    @Test
    void validate_absoluteUris() throws Exception {
        ValidationReport r = json("abs.gltf", "{" + ASSET + ",\"buffers\":[{\"byteLength\":16,\"uri\":\"/etc/passwd\"},"
                + "{\"byteLength\":16,\"uri\":\"file:///etc/passwd\"},{\"byteLength\":16,\"uri\":\"http://example.com/a.bin\"}],"
                + "\"images\":[{\"uri\":\"C:/Windows/win.ini\"}]}");
        long nonRelative = r.issues().messages().stream().filter(i -> i.code().equals("NON_RELATIVE_URI")).count();
        assertTrue(nonRelative == 4, () -> r.issues().messages().toString());
        // files on this machine are refused with an error; a network URI is not fetched (as in Khronos' own suite)
        List<String> refused = r.issues().messages().stream().filter(i -> i.code().equals("IO_ERROR"))
                .map(Issue::pointer).toList();
        assertEquals(List.of("/buffers/0/uri", "/buffers/1/uri", "/images/0/uri"), refused);
        assertFalse(r.isValid());
    }

    @Test
    void validate_symlinkOutOfFolder() throws Exception {
        Path secret = Files.write(dir.resolve("secret.bin"), new byte[16]);
        Files.createDirectories(dir.resolve("asset"));
        Files.createSymbolicLink(dir.resolve("asset/link.bin"), secret);
        ValidationReport r = json("asset/a.gltf", "{" + ASSET + ",\"buffers\":[{\"byteLength\":16,\"uri\":\"link.bin\"}]}");
        assertTrue(r.issues().messages().stream().anyMatch(i -> i.code().equals("IO_ERROR")
                && i.message().contains("link")), () -> r.issues().messages().toString());
    }

    @Test
    void validate_missingFile() throws Exception {
        assertCode(json("missing.gltf", "{" + ASSET + ",\"buffers\":[{\"byteLength\":16,\"uri\":\"nope.bin\"}]}"), "IO_ERROR");
    }

    @Test
    void validate_enormousDataUri() throws Exception {
        String payload = Base64.getEncoder().encodeToString(new byte[12 << 20]);
        ValidationReport r = json("big.gltf", "{" + ASSET + ",\"buffers\":[{\"byteLength\":1,\"uri\":\"data:application/"
                + "octet-stream;base64," + payload + "\"}],\"images\":[{\"uri\":\"data:image/png;base64," + payload + "\"}]}");
        assertCode(r, "INVALID_URI");
    }

    @Test
    void validate_jsonLargerThanLimit() throws Exception {
        Path p = dir.resolve("huge.gltf");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write('{');
            f.setLength(GltfValidator.MAX_JSON_BYTES + 1); // sparse file: nothing is written
        }
        ValidationReport r = Validator.validate(p);
        assertCode(r, "JSON_TOO_LARGE");
    }

    @Test
    void validate_nodeCycles() throws Exception {
        int n = 50_000;
        StringBuilder nodes = new StringBuilder();
        for (int i = 0; i < n; i++) {
            nodes.append(i == 0 ? "" : ",").append("{\"children\":[").append((i + 1) % n).append("]}");
        }
        ValidationReport r = json("cycle.gltf", "{" + ASSET + ",\"nodes\":[" + nodes + ",{\"children\":[" + (n) + "]}],"
                + "\"scenes\":[{\"nodes\":[0]}],\"skins\":[{\"joints\":[0," + (n / 2) + "]}]}");
        assertCode(r, "NODE_LOOP");
        assertCode(r, "SCENE_NON_ROOT_NODE");
    }

    @Test
    void validate_deepNodeChainWithSkins() throws Exception {
        int n = 30_000;
        StringBuilder nodes = new StringBuilder();
        StringBuilder joints = new StringBuilder();
        for (int i = 0; i < n; i++) {
            nodes.append(i == 0 ? "" : ",").append("{\"translation\":[1,0,0]")
                    .append(i + 1 < n ? ",\"children\":[" + (i + 1) + "]" : ",\"mesh\":0,\"skin\":0").append("}");
            joints.append(i == 0 ? "" : ",").append(i);
        }
        ValidationReport r = json("chain.gltf", "{" + ASSET + ",\"nodes\":[" + nodes + "],\"scenes\":[{\"nodes\":[0]}],"
                + "\"skins\":[{\"joints\":[" + joints + "]}],\"meshes\":[{\"primitives\":[{\"attributes\":{}}]}]}");
        assertFalse(r.issues().messages().isEmpty());
    }

    @Test
    void validate_manyDuplicateChannels() throws Exception {
        StringBuilder ch = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            ch.append(i == 0 ? "" : ",").append("{\"sampler\":0,\"target\":{\"node\":0,\"path\":\"translation\"}}");
        }
        ValidationReport r = json("anim.gltf", "{" + ASSET + ",\"nodes\":[{}],\"animations\":[{\"channels\":[" + ch
                + "],\"samplers\":[{\"input\":0,\"output\":0}]}]}");
        assertCode(r, "ANIMATION_DUPLICATE_TARGETS");
    }

    @Test
    void validate_notJsonObject() throws Exception {
        assertCode(json("array.gltf", "[1,2,3]"), "TYPE_MISMATCH");
        assertCode(json("garbage.gltf", "{\"asset\":"), "INVALID_JSON");
        assertCode(validate("empty.glb", new byte[0]), "GLB_UNEXPECTED_END_OF_HEADER");
    }

    /** Every prefix and many byte flips of a real GLB and a real glTF: reports, never exceptions. */
    @Test
    void validate_truncatedAndFlippedFiles() throws Exception {
        byte[] glb = Files.readAllBytes(Path.of(getClass().getResource("/gltf-samples/BoxVertexColors.glb").toURI()));
        byte[] gltf = Files.readAllBytes(Path.of(getClass().getResource("/gltf-samples/Box_glTF-Embedded/Box.gltf").toURI()));
        for (int len = 0; len < glb.length; len += 31) {
            byte[] prefix = java.util.Arrays.copyOf(glb, len);
            assertDoesNotThrow(() -> validate("t.glb", prefix), "prefix " + len);
        }
        for (int len = 0; len < gltf.length; len += 47) {
            byte[] prefix = java.util.Arrays.copyOf(gltf, len);
            assertDoesNotThrow(() -> validate("t.gltf", prefix), "prefix " + len);
        }
        Random rnd = new Random(42);
        for (int i = 0; i < 100; i++) {
            byte[] g = glb.clone();
            for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                g[rnd.nextInt(g.length)] = (byte) rnd.nextInt(256);
            }
            int round = i;
            assertDoesNotThrow(() -> validate("f.glb", g), "flip round " + round);
            byte[] j = gltf.clone();
            for (int k = 0; k < 1 + rnd.nextInt(3); k++) {
                j[rnd.nextInt(j.length)] = (byte) "0123456789-:,[]{}\"e.".charAt(rnd.nextInt(20));
            }
            assertDoesNotThrow(() -> validate("f.gltf", j), "json flip round " + round);
        }
    }
}
