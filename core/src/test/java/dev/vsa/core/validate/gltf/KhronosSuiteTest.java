package dev.vsa.core.validate.gltf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vsa.core.validate.Issue;
import dev.vsa.core.validate.Severity;
import dev.vsa.core.validate.ValidationOptions;
import dev.vsa.core.validate.ValidationReport;
import dev.vsa.core.validate.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Agreement with the Khronos glTF-Validator on its own test suite (test/base and test/ext of
 * KhronosGroup/glTF-Validator, copied under {@code khronos-validator-suite/}), asset by asset: the same valid/invalid
 * verdict, the same set of error codes, the same info counters, and the same codes of every severity except the
 * few {@link #KNOWN_DIFFERENCES} listed and explained below.
 */
class KhronosSuiteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> INFO_FIELDS = List.of("version", "animationCount", "materialCount",
            "hasMorphTargets", "hasSkins", "hasTextures", "hasDefaultScene", "drawCallCount", "totalVertexCount",
            "totalTriangleCount", "maxUVs", "maxInfluences", "maxAttributes");

    private static final String MATERIAL_HINT = "a warning of the KHR_materials_* extensions about how their "
            + "properties combine: vsa checks those extensions' schema and references, not these hints (no splat "
            + "file uses them)";

    /**
     * Non-error codes the Khronos report has and vsa's has not, by asset, with the reason. An asset listed here must
     * differ by exactly these codes: when vsa learns one, the test fails until it is taken off the list.
     */
    static final Map<String, Known> KNOWN_DIFFERENCES = Map.ofEntries(
            Map.entry("base/material/multiple_extensions.gltf", new Known("MULTIPLE_EXTENSIONS",
                    "an info about a material using several extensions at once, not ported")),
            Map.entry("base/node/unresolved_camera.gltf", new Known("NODE_EMPTY",
                    "Khronos also calls a node empty when its only reference is unresolved; vsa reports the "
                            + "unresolved reference (the error both give) and not the consequence")),
            Map.entry("base/node/unresolved_mesh.gltf", new Known("NODE_EMPTY",
                    "as unresolved_camera.gltf")),
            Map.entry("ext/KHR_materials_anisotropy/data/material/different_texcoords.gltf",
                    new Known("KHR_MATERIALS_ANISOTROPY_ANISOTROPY_TEXTURE_TEXCOORD", MATERIAL_HINT)),
            Map.entry("ext/KHR_materials_clearcoat/data/material/different_texcoords.gltf",
                    new Known("KHR_MATERIALS_CLEARCOAT_CLEARCOAT_NORMAL_TEXTURE_TEXCOORD", MATERIAL_HINT)),
            Map.entry("ext/KHR_materials_dispersion/data/material/no_volume.gltf",
                    new Known("KHR_MATERIALS_DISPERSION_NO_VOLUME", MATERIAL_HINT)),
            Map.entry("ext/KHR_materials_emissive_strength/data/material/zero_factor.gltf",
                    new Known("KHR_MATERIALS_EMISSIVE_STRENGTH_ZERO_FACTOR", MATERIAL_HINT)),
            Map.entry("ext/KHR_materials_iridescence/data/material/unused_thickness_minimum.gltf",
                    new Known("KHR_MATERIALS_IRIDESCENCE_THICKNESS_RANGE_WITHOUT_TEXTURE", MATERIAL_HINT)),
            Map.entry("ext/KHR_materials_iridescence/data/material/unused_thickness_texture.gltf",
                    new Known("KHR_MATERIALS_IRIDESCENCE_THICKNESS_TEXTURE_UNUSED", MATERIAL_HINT)),
            Map.entry("ext/KHR_materials_volume/data/material/custom_property.gltf",
                    new Known("KHR_MATERIALS_VOLUME_NO_TRANSMISSION", MATERIAL_HINT)),
            Map.entry("ext/KHR_materials_volume/data/material/double_sided.gltf",
                    new Known("KHR_MATERIALS_VOLUME_DOUBLE_SIDED", MATERIAL_HINT)),
            Map.entry("ext/KHR_materials_volume/data/material/out_of_range.gltf",
                    new Known("KHR_MATERIALS_VOLUME_NO_TRANSMISSION", MATERIAL_HINT)));

    /** Codes vsa does not report for one asset, and why. */
    record Known(String code, String why) {
    }

    static Path suite() throws URISyntaxException {
        return Path.of(KhronosSuiteTest.class.getResource("/khronos-validator-suite").toURI());
    }

    static Stream<String> assets() throws URISyntaxException, IOException {
        Path root = suite();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".report.json"))
                    .map(p -> p.resolveSibling(p.getFileName().toString().replace(".report.json", "")))
                    .filter(Files::exists).map(p -> root.relativize(p).toString().replace('\\', '/')).sorted()
                    .toList().stream();
        }
    }

    @Test
    void suite_isThere() throws Exception {
        assertTrue(assets().count() > 350, "the copied suite is missing");
        for (String asset : KNOWN_DIFFERENCES.keySet()) {
            assertTrue(Files.exists(suite().resolve(asset)), "known difference for a missing asset " + asset);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("assets")
    void validate_agreesWithKhronosReport(String name) throws Exception {
        Path asset = suite().resolve(name);
        JsonNode expected = JSON.readTree(asset.resolveSibling(asset.getFileName() + ".report.json").toFile());
        ValidationReport r = Validator.validate(asset, ValidationOptions.defaults().withMaxIssues(0));

        Set<String> expectedErrors = new TreeSet<>();
        Set<String> expectedAll = new TreeSet<>();
        for (JsonNode m : expected.at("/issues/messages")) {
            expectedAll.add(m.get("code").asText());
            if (m.get("severity").asInt() == 0) {
                expectedErrors.add(m.get("code").asText());
            }
        }
        Set<String> actualErrors = new TreeSet<>();
        Set<String> actualAll = new TreeSet<>();
        for (Issue i : r.issues().messages()) {
            actualAll.add(i.code());
            if (i.severity() == Severity.ERROR) {
                actualErrors.add(i.code());
            }
        }
        assertEquals(expectedErrors.isEmpty(), r.isValid(), "verdict");
        assertEquals(expectedErrors, actualErrors, "error codes");

        JsonNode expectedInfo = expected.get("info");
        if (expectedInfo != null && r.info() != null) {
            JsonNode actualInfo = JSON.valueToTree(r.info());
            for (String k : INFO_FIELDS) {
                assertEquals(String.valueOf(expectedInfo.get(k)), String.valueOf(actualInfo.get(k)), "info." + k);
            }
        }

        Known known = KNOWN_DIFFERENCES.get(name);
        Set<String> expectedHere = new TreeSet<>(expectedAll);
        if (known != null) {
            assertTrue(expectedHere.remove(known.code()), "the known difference " + known.code() + " is gone from "
                    + "the Khronos report: take it off the list");
        }
        assertEquals(expectedHere, actualAll, known == null ? "codes of every severity"
                : "codes of every severity, but " + known.code() + " (" + known.why() + ")");
    }
}
