package dev.vsa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.cli.demo.SyntheticScene;
import dev.vsa.cli.output.Json;
import dev.vsa.core.splat.SplatFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vsa inspect --stats}: text, JSON, and bounded memory on a million splats. */
class InspectStatsTest {
    @Test
    void inspectStats_textAndJson(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("scene.ply");
        SyntheticScene.write(in, SplatFormat.PLY, 5000, 1, 7);
        Cli.Result text = Cli.run("inspect", "--stats", in.toString());
        assertEquals(0, text.exit(), text::toString);
        assertTrue(text.out().contains("median") && text.out().contains("histogram p1..p99")
                && text.out().contains("overdraw"), text::toString);
        Cli.Result r = Cli.run("inspect", "--stats", "--json", in.toString());
        assertEquals(0, r.exit(), r::toString);
        JsonNode f = Json.MAPPER.readTree(r.out()).get(0);
        assertEquals(5000, f.get("count").asLong());
        JsonNode x = f.get("stats").get("columns").get(0);
        assertEquals("x", x.get("name").asText());
        assertTrue(x.has("median") && x.has("stdDev") && x.get("histogram").get("counts").size() == 16, x::toString);
        assertTrue(f.get("stats").get("overdraw").get("ratio").asDouble() > 0, f::toString);
        Cli.Result plain = Cli.run("inspect", "--json", in.toString());
        assertFalse(Json.MAPPER.readTree(plain.out()).get(0).has("stats"), plain::toString);
    }

    /**
     * A million splats in a JVM with a 48 MiB heap: every value of one column alone would take 4 MB as floats and
     * all 17 columns 68 MB, so a sorted-copy median or a kept column would not fit; the sketches take 256 KiB each.
     */
    @Test
    void inspectStats_millionSplats_boundedMemory(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("million.ply");
        SyntheticScene.write(in, SplatFormat.PLY, 1_000_000, 0, 3);
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-Xmx48m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "dev.vsa.cli.Main", "inspect", "--stats", "--json", in.toString())
                .redirectError(dir.resolve("err.txt").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "inspect --stats timed out");
        String err = java.nio.file.Files.readString(dir.resolve("err.txt"));
        assertEquals(0, p.exitValue(), () -> out + err);
        JsonNode f = Json.MAPPER.readTree(out).get(0);
        assertEquals(1_000_000, f.get("count").asLong());
        assertEquals(1_000_000, f.get("stats").get("columns").get(0).get("count").asLong());
    }
}
