package dev.vsa.core.validate.gltf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vsa.core.validate.Issue;
import dev.vsa.core.validate.Severity;
import dev.vsa.core.validate.ValidationOptions;
import dev.vsa.core.validate.ValidationReport;
import dev.vsa.core.validate.Validator;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Agreement with the Khronos glTF-Validator on its own test suite (test/base and test/ext of
 * KhronosGroup/glTF-Validator, copied under {@code khronos-validator-suite/}): same valid/invalid verdict and same set
 * of error codes as each expected report.
 */
class KhronosSuiteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> INFO_FIELDS = List.of("version", "animationCount", "materialCount",
            "hasMorphTargets", "hasSkins", "hasTextures", "hasDefaultScene", "drawCallCount", "totalVertexCount",
            "totalTriangleCount", "maxUVs", "maxInfluences", "maxAttributes");

    static Path suite() throws URISyntaxException {
        return Path.of(KhronosSuiteTest.class.getResource("/khronos-validator-suite").toURI());
    }

    @Test
    void validate_agreesWithKhronosReports() throws Exception {
        Path root = suite();
        List<Path> reports;
        try (var files = Files.walk(root)) {
            reports = files.filter(p -> p.toString().endsWith(".report.json")).sorted().toList();
        }
        int total = 0;
        int infoCompared = 0;
        int infoOk = 0;
        int allCodesOk = 0;
        int verdictOk = 0;
        int codesOk = 0;
        List<String> mismatches = new ArrayList<>();
        for (Path expectedFile : reports) {
            String name = expectedFile.getFileName().toString();
            Path asset = expectedFile.resolveSibling(name.substring(0, name.length() - ".report.json".length()));
            if (!Files.exists(asset)) {
                continue;
            }
            JsonNode expected = JSON.readTree(expectedFile.toFile());
            Set<String> expectedErrors = new TreeSet<>();
            for (JsonNode m : expected.at("/issues/messages")) {
                if (m.get("severity").asInt() == 0) {
                    expectedErrors.add(m.get("code").asText());
                }
            }
            ValidationReport r = Validator.validate(asset, ValidationOptions.defaults().withMaxIssues(0));
            Set<String> actualErrors = new TreeSet<>();
            for (Issue i : r.issues().messages()) {
                if (i.severity() == Severity.ERROR) {
                    actualErrors.add(i.code());
                }
            }
            JsonNode expectedInfo = expected.get("info");
            if (expectedInfo != null && r.info() != null) {
                infoCompared++;
                JsonNode actualInfo = JSON.valueToTree(r.info());
                boolean same = true;
                for (String k : INFO_FIELDS) {
                    same &= String.valueOf(expectedInfo.get(k)).equals(String.valueOf(actualInfo.get(k)));
                }
                if (same) {
                    infoOk++;
                } else {
                    mismatches.add(root.relativize(asset) + ": info differs: expected " + expectedInfo + " got " + actualInfo);
                }
            }
            Set<String> expectedAll = new TreeSet<>();
            expected.at("/issues/messages").forEach(m -> expectedAll.add(m.get("code").asText()));
            Set<String> actualAll = new TreeSet<>();
            r.issues().messages().forEach(i -> actualAll.add(i.code()));
            allCodesOk += expectedAll.equals(actualAll) ? 1 : 0;
            total++;
            boolean verdict = expectedErrors.isEmpty() == r.isValid();
            verdictOk += verdict ? 1 : 0;
            codesOk += expectedErrors.equals(actualErrors) ? 1 : 0;
            if (!expectedErrors.equals(actualErrors)) {
                mismatches.add(root.relativize(asset) + (verdict ? "" : " [VERDICT]") + ": expected " + expectedErrors
                        + " got " + actualErrors);
            }
        }
        double verdictPct = 100.0 * verdictOk / total;
        double codesPct = 100.0 * codesOk / total;
        System.out.printf("Khronos glTF-Validator suite: %d assets, verdict agreement %.1f%% (%d), error-code-set "
                + "agreement %.1f%% (%d)%n", total, verdictPct, verdictOk, codesPct, codesOk);
        System.out.printf("  codes of all severities equal on %d of %d reports%n", allCodesOk, total);
        System.out.printf("  info counters (%s) equal on %d of %d reports%n", String.join(", ", INFO_FIELDS), infoOk,
                infoCompared);
        mismatches.forEach(m -> System.out.println("  mismatch " + m));
        assertTrue(total > 350, "suite not found: " + total);
        assertTrue(verdictPct >= 97.0, "verdict agreement " + verdictPct);
        assertTrue(codesPct >= 90.0, "error-code-set agreement " + codesPct);
        assertTrue(infoOk >= 0.97 * infoCompared, "info agreement " + infoOk + "/" + infoCompared);
    }
}
