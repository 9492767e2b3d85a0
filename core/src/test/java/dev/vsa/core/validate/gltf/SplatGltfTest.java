package dev.vsa.core.validate.gltf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.core.validate.Issue;
import dev.vsa.core.validate.Severity;
import dev.vsa.core.validate.ValidationOptions;
import dev.vsa.core.validate.ValidationReport;
import dev.vsa.core.validate.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** KHR_gaussian_splatting: valid files pass clean, each broken rule gets its code. */
class SplatGltfTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static ValidationReport validate(Path p) throws IOException {
        return Validator.validate(p, ValidationOptions.defaults().withMaxIssues(0));
    }

    private static Set<String> codes(ValidationReport r, Severity s) {
        Set<String> c = new TreeSet<>();
        for (Issue i : r.issues().messages()) {
            if (i.severity() == s) {
                c.add(i.code());
            }
        }
        return c;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void validate_generatedSplatsClean(int degree) throws Exception {
        Path p = dir.resolve("s.glb");
        TestGlb.splats(p, 100, degree);
        ValidationReport r = validate(p);
        assertEquals(0, r.issues().messages().size(), () -> r.issues().messages().toString());
        assertEquals(100L, r.info().splatCount());
        assertEquals(degree, r.info().shDegree());
    }

    @Test
    void validate_splatTransformOutputClean() throws Exception {
        ValidationReport r = validate(Path.of(getClass().getResource("/splat-gltf/splat-transform-sh3.glb").toURI()));
        assertTrue(r.isValid(Severity.WARNING), () -> r.issues().messages().toString());
        assertEquals(3, r.info().shDegree());
        assertEquals(64L, r.info().splatCount());
    }

    @Test
    void validate_conformanceMatrixOnlyCoreErrors() throws Exception {
        ValidationReport r = validate(Path.of(getClass().getResource("/splat-gltf/khr_conformance_matrix.glb").toURI()));
        // Written for an older draft: log-space (negative) scales, which the ratified text forbids.
        assertEquals(Set.of("MESH_PRIMITIVE_POSITION_ACCESSOR_WITHOUT_BOUNDS", "MESH_PRIMITIVE_ACCESSOR_UNALIGNED",
                "MESH_PRIMITIVE_ATTRIBUTES_ACCESSOR_INVALID_FORMAT", "KHR_GAUSSIAN_SPLATTING_NEGATIVE_SCALE"),
                codes(r, Severity.ERROR));
        assertFalse(codes(r, Severity.INFO).contains("UNSUPPORTED_EXTENSION"));
    }

    /** Rewrites the JSON chunk of a generated splat GLB (the JSON is padded back to 4 bytes). */
    private Path mutated(Consumer<ObjectNode> change) throws IOException {
        Path p = dir.resolve("m.glb");
        TestGlb.splats(p, 8, 1);
        byte[] b = Files.readAllBytes(p);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int jsonLength = bb.getInt(12);
        ObjectNode root = (ObjectNode) JSON.readTree(new String(b, 20, jsonLength, StandardCharsets.UTF_8));
        change.accept(root);
        byte[] json = JSON.writeValueAsBytes(root);
        int padded = (json.length + 3) & ~3;
        int binStart = 20 + jsonLength;
        int binTotal = b.length - binStart;
        ByteBuffer out = ByteBuffer.allocate(20 + padded + binTotal).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0x46546C67).putInt(2).putInt(20 + padded + binTotal).putInt(padded).putInt(0x4E4F534A).put(json);
        while (out.position() < 20 + padded) {
            out.put((byte) ' ');
        }
        out.put(b, binStart, binTotal);
        Files.write(p, out.array());
        return p;
    }

    private static ObjectNode primitive(ObjectNode root) {
        return (ObjectNode) root.at("/meshes/0/primitives/0");
    }

    @Test
    void validate_missingAttribute() throws Exception {
        ValidationReport r = validate(mutated(root -> ((ObjectNode) primitive(root).get("attributes"))
                .remove("KHR_gaussian_splatting:OPACITY")));
        assertTrue(codes(r, Severity.ERROR).contains("KHR_GAUSSIAN_SPLATTING_MISSING_ATTRIBUTE"));
    }

    @Test
    void validate_partialShDegree() throws Exception {
        ValidationReport r = validate(mutated(root -> ((ObjectNode) primitive(root).get("attributes"))
                .remove("KHR_gaussian_splatting:SH_DEGREE_1_COEF_2")));
        assertTrue(codes(r, Severity.ERROR).contains("KHR_GAUSSIAN_SPLATTING_PARTIAL_SH"));
    }

    @Test
    void validate_wrongMode() throws Exception {
        ValidationReport r = validate(mutated(root -> primitive(root).put("mode", 4)));
        assertTrue(codes(r, Severity.ERROR).contains("KHR_GAUSSIAN_SPLATTING_INVALID_MODE"));
    }

    @Test
    void validate_unknownSplatAttribute() throws Exception {
        ValidationReport r = validate(mutated(root -> ((ObjectNode) primitive(root).get("attributes"))
                .put("KHR_gaussian_splatting:SH_DEGREE_4_COEF_0", 4)));
        assertTrue(codes(r, Severity.ERROR).contains("KHR_GAUSSIAN_SPLATTING_INVALID_ATTRIBUTE"));
    }

    @Test
    void validate_missingKernel() throws Exception {
        ValidationReport r = validate(mutated(root -> ((ObjectNode) primitive(root).at("/extensions/KHR_gaussian_splatting"))
                .remove("kernel")));
        assertTrue(codes(r, Severity.ERROR).contains("UNDEFINED_PROPERTY"));
    }

    @Test
    void validate_wrongRotationFormat() throws Exception {
        ValidationReport r = validate(mutated(root -> ((ObjectNode) root.at("/accessors/1")).put("type", "VEC3")));
        assertTrue(codes(r, Severity.ERROR).contains("MESH_PRIMITIVE_ATTRIBUTES_ACCESSOR_INVALID_FORMAT"));
    }

    @Test
    void validate_extensionUndeclaredAttributesInvalid() throws Exception {
        ValidationReport r = validate(mutated(root -> {
            root.remove("extensionsUsed");
            primitive(root).remove("extensions");
        }));
        assertTrue(codes(r, Severity.ERROR).contains("MESH_PRIMITIVE_INVALID_ATTRIBUTE"));
    }

    @Test
    void validate_negativeScale() throws Exception {
        // accessor 6 is SH_DEGREE_1_COEF_1: VEC3 float (0.01, -0.01, 0.01) per splat
        ValidationReport r = validate(mutated(root -> ((ObjectNode) primitive(root).get("attributes"))
                .put("KHR_gaussian_splatting:SCALE", 6)));
        assertTrue(codes(r, Severity.ERROR).contains("KHR_GAUSSIAN_SPLATTING_NEGATIVE_SCALE"), r.issues().messages()::toString);
    }
}
