package dev.vsa.core.gltf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.scene.SceneFormat;
import dev.vsa.core.scene.Scenes;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Over the Khronos glTF-Validator's own test suite (copied under {@code khronos-validator-suite/}, mostly
 * invalid files): scene detection calls each glTF or GLB, inspection never fails with anything but
 * {@link MalformedInputException}, and wherever the
 * expected Khronos report has an {@code info}, the inspection's totals equal it.
 */
class GltfInspectorKhronosSuiteTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void inspect_suiteTotalsEqualKhronosInfo() throws Exception {
        Path root = Path.of(GltfInspectorKhronosSuiteTest.class.getResource("/khronos-validator-suite").toURI());
        List<Path> reports;
        try (Stream<Path> s = Files.walk(root)) {
            reports = s.filter(p -> p.getFileName().toString().endsWith(".report.json")).sorted().toList();
        }
        int compared = 0;
        int rejected = 0;
        List<String> mismatches = new ArrayList<>();
        for (Path report : reports) {
            String name = report.getFileName().toString();
            Path asset = report.resolveSibling(name.substring(0, name.length() - ".report.json".length()));
            if (!Files.isRegularFile(asset)) {
                continue;
            }
            JsonNode info = JSON.readTree(report.toFile()).get("info");
            try {
                SceneFormat f = Scenes.detect(asset).format();
                if (f != SceneFormat.GLB && f != SceneFormat.GLTF) {
                    mismatches.add(root.relativize(asset) + " detected as " + f);
                }
            } catch (MalformedInputException e) {
                // empty or not JSON at all: the validator reports these too
            }
            GltfInspection inspection;
            try {
                inspection = GltfInspector.inspect(asset);
            } catch (MalformedInputException e) {
                rejected++;
                continue;
            }
            if (info == null || !info.has("drawCallCount")) {
                continue;
            }
            compared++;
            GltfInspection.Totals t = inspection.totals();
            if (t.drawCallCount() != info.get("drawCallCount").asInt()
                    || t.totalVertexCount() != info.get("totalVertexCount").asLong()
                    || t.totalTriangleCount() != info.get("totalTriangleCount").asLong()) {
                mismatches.add(root.relativize(asset) + ": " + t + " vs " + info.get("drawCallCount") + "/"
                        + info.get("totalVertexCount") + "/" + info.get("totalTriangleCount"));
            }
        }
        System.out.printf("inspector vs Khronos info: %d compared, %d mismatches, %d rejected as malformed%n",
                compared, mismatches.size(), rejected);
        assertTrue(compared > 50, "too few suite reports with info: " + compared);
        assertEquals(List.of(), mismatches);
    }
}
