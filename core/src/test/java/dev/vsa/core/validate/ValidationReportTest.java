package dev.vsa.core.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidationReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void json_khronosShape() throws Exception {
        Issue issue = new Issue("ACCESSOR_TOO_LONG", "Too long.", Severity.ERROR, "/accessors/0", null);
        ValidationReport r = new ValidationReport("a.gltf", "model/gltf+json", Validator.VERSION, null,
                new Issues(1, 0, 0, 0, List.of(issue), false), null);
        JsonNode n = JSON.readTree(JSON.writeValueAsString(r));
        assertEquals("a.gltf", n.get("uri").asText());
        assertEquals(0, n.at("/issues/messages/0/severity").asInt());
        assertEquals("/accessors/0", n.at("/issues/messages/0/pointer").asText());
        assertFalse(n.at("/issues/messages/0").has("offset"));
        assertFalse(n.has("info"));
        assertFalse(n.has("valid"));
        assertEquals(1, n.at("/issues/numErrors").asInt());
        assertFalse(r.isValid(Severity.ERROR));
    }

    @Test
    void isValid_failOnWarning() {
        ValidationReport r = new ValidationReport("a", null, null, null, new Issues(0, 1, 0, 0, List.of(), false), null);
        assertTrue(r.isValid(Severity.ERROR));
        assertFalse(r.isValid(Severity.WARNING));
    }

    @Test
    void options_negativeMaxIssues() {
        assertThrows(IllegalArgumentException.class, () -> ValidationOptions.defaults().withMaxIssues(-1));
    }

    @Test
    void issueSink_appliesOptions() {
        IssueSink sink = new IssueSink(ValidationOptions.defaults().withMaxIssues(1)
                .withIgnoredCodes(Set.of("X")).withSeverityOverrides(java.util.Map.of("Y", Severity.HINT)));
        sink.at(null, "X", Severity.ERROR, "x");
        sink.at(null, "Y", Severity.ERROR, "y");
        sink.at(null, "Z", Severity.ERROR, "z");
        Issues is = sink.toIssues();
        assertEquals(1, is.numErrors());
        assertEquals(1, is.numHints());
        assertEquals(1, is.messages().size());
        assertTrue(is.truncated());
    }

    @Test
    void issue_toString_whereOnlyWhenThereIsOne() {
        assertEquals("ERROR INVALID_JSON: m", new Issue("INVALID_JSON", "m", Severity.ERROR, "", null).toString());
        assertEquals("ERROR X at /a/0: m", new Issue("X", "m", Severity.ERROR, "/a/0", null).toString());
        assertEquals("ERROR X at byte 7: m", new Issue("X", "m", Severity.ERROR, null, 7L).toString());
        assertEquals("WARNING X: m", new Issue("X", "m", Severity.WARNING, null, null).toString());
    }

    @Test
    void validate_truncatedGltf_oneLineWithoutJacksonsLocation(@TempDir Path dir) throws Exception {
        byte[] gltf = Files.readAllBytes(dev.vsa.core.testing.TestFixtures.path("gltf/Box_glTF/Box.gltf"));
        Path f = Files.write(dir.resolve("t17-Box.gltf"), java.util.Arrays.copyOf(gltf, 17));
        Issue first = Validator.validate(f).issues().messages().get(0);
        assertEquals("INVALID_JSON", first.code());
        assertTrue(first.toString().startsWith("ERROR INVALID_JSON: "), first::toString);
        assertTrue(first.message().contains("(start marker at line 2, column 14)"), first::message);
        assertFalse(first.message().contains("Source"), first::message);
    }

    @Test
    void validate_unknownContent(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.bin");
        Files.write(f, new byte[] {1, 2, 3});
        ValidationReport r = Validator.validate(f);
        assertEquals(Validator.UNKNOWN_FORMAT, r.issues().messages().get(0).code());
        assertFalse(r.isValid());
    }
}
