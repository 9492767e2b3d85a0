package dev.vsa.core.validate.gltf;

import dev.vsa.core.validate.Issue;
import dev.vsa.core.validate.Severity;
import dev.vsa.core.validate.ValidationOptions;
import dev.vsa.core.validate.ValidationReport;
import dev.vsa.core.validate.Validator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Public sample models (copied from the shared test data into {@code gltf-samples/}): the same error, warning and
 * info counts as the Khronos glTF-Validator 2.0.0-dev.3.10 reports for each (its README's table).
 */
class SampleModelsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "Box.glb, 0, 0, 0, ''",
        "BoxDraco.gltf, 1, 0, 2, IO_ERROR",
        "BoxMeshopt.glb, 0, 0, 2, ''",
        "BoxTextured_glTF/BoxTextured.gltf, 0, 1, 0, IMAGE_FEATURES_UNSUPPORTED",
        "BoxVertexColors.glb, 0, 0, 4, ''",
        "Box_glTF-Embedded/Box.gltf, 0, 0, 0, ''",
        "Box_glTF/Box.gltf, 0, 0, 0, ''",
        "DamagedHelmet.glb, 0, 1, 0, MESH_PRIMITIVE_GENERATED_TANGENT_SPACE",
        "DenseSphere.glb, 0, 0, 2, ''",
        "ShapeCollection.glb, 0, 0, 6, ''",
        "TwoCubes.glb, 0, 0, 0, ''",
        "chr_knight.glb, 0, 0, 0, ''",
    })
    void validate_matchesKhronosCounts(String file, int errors, int warnings, int infos, String codes) throws Exception {
        Path p = Path.of(getClass().getResource("/gltf-samples/" + file).toURI());
        ValidationReport r = Validator.validate(p, ValidationOptions.defaults().withMaxIssues(0));
        assertEquals(errors, r.issues().numErrors(), () -> "errors: " + r.issues().messages());
        assertEquals(warnings, r.issues().numWarnings(), () -> "warnings: " + r.issues().messages());
        assertEquals(infos, r.issues().numInfos(), () -> "infos: " + r.issues().messages());
        Set<String> seen = new TreeSet<>();
        for (Issue i : r.issues().messages()) {
            if (i.severity() == Severity.ERROR || i.severity() == Severity.WARNING) {
                seen.add(i.code());
            }
        }
        for (String c : codes.isEmpty() ? new String[0] : codes.split(" ")) {
            assertTrue(seen.contains(c), () -> c + " missing from " + seen);
        }
        assertEquals(p.getFileName().toString().endsWith(".glb") ? Validator.MIME_GLB : Validator.MIME_GLTF, r.mimeType());
        assertEquals("2.0", r.info().version());
    }
}
