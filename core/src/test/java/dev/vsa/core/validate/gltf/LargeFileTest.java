package dev.vsa.core.validate.gltf;

import dev.vsa.core.validate.Issue;
import dev.vsa.core.validate.ValidationOptions;
import dev.vsa.core.validate.ValidationReport;
import dev.vsa.core.validate.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files large enough for the multi-threaded data checks: same report every time, issues found. */
class LargeFileTest {
    @TempDir
    Path dir;

    @Test
    void validate_largeMeshSameReportEachRun() throws Exception {
        Path p = dir.resolve("mesh.glb");
        TestGlb.mesh(p, 600); // 361k vertices, 2.2M indices: about 20 MB
        byte[] b = Files.readAllBytes(p);
        String s = new String(b, StandardCharsets.ISO_8859_1);
        // same length: the declared POSITION max x (600) becomes 601, and NORMAL gets a wrong max
        s = s.replaceFirst("\"max\":\\[600,600,0\\]", "\"max\":[601,600,0]");
        Files.write(p, s.getBytes(StandardCharsets.ISO_8859_1));
        List<Issue> first = Validator.validate(p, ValidationOptions.defaults()).issues().messages();
        for (int i = 0; i < 3; i++) {
            ValidationReport again = Validator.validate(p, ValidationOptions.defaults());
            assertEquals(first, again.issues().messages());
        }
        assertTrue(first.stream().anyMatch(m -> m.code().equals("ACCESSOR_MAX_MISMATCH")), first::toString);
    }

    @Test
    void validate_largeSplatsClean() throws Exception {
        Path p = dir.resolve("splats.glb");
        TestGlb.splats(p, 60_000, 3);
        ValidationReport r = Validator.validate(p);
        assertEquals(List.of(), r.issues().messages());
        assertEquals(60_000L, r.info().splatCount());
    }
}
