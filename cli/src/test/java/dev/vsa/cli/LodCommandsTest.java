package dev.vsa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code convert} to and from LOD sets (lod-meta.json) and {@code inspect} of one, through real argv. */
class LodCommandsTest {
    @Test
    void convert_toLodSetAndBack_levelsChosen(@TempDir Path dir) throws Exception {
        Path in = CommandsTest.ply(dir, 3000, 1);
        Path set = dir.resolve("set/lod-meta.json");
        Cli.Result w = Cli.run("convert", in.toString(), set.toString(), "--lod-levels", "3", "--lod-chunk-count", "1");
        assertEquals(0, w.exit(), w::toString);
        assertTrue(w.out().contains("levels [3000, 1500, 750] splats"), w::toString);
        Cli.Result coarse = Cli.run("convert", set.toString(), dir.resolve("c.ply").toString(), "--lod", "-1", "--json");
        assertEquals(0, coarse.exit(), coarse::toString);
        assertEquals(750, CommandsTest.json(coarse).get("splats").asLong(), coarse::toString);
        Cli.Result all = Cli.run("convert", set.toString(), dir.resolve("a.ply").toString(), "--lod", "all", "--json");
        assertEquals(5250, CommandsTest.json(all).get("splats").asLong(), all::toString);
        Cli.Result i = Cli.run("inspect", "--json", set.toString());
        assertEquals(0, i.exit(), i::toString);
        JsonNode doc = CommandsTest.json(i).get(0);
        assertEquals("lod", doc.get("format").asText(), i::toString);
        assertEquals(3000, doc.get("count").asLong(), i::toString);
        assertEquals(3, doc.get("lod").get("levels").size(), i::toString);
        assertTrue(Cli.run("inspect", set.toString()).out().contains("LOD set"));
    }

    @Test
    void convert_lodInput_tagsLevels_andUsageErrors(@TempDir Path dir) throws Exception {
        Path a = CommandsTest.ply(dir, 1500, 0);
        Path b = dir.resolve("b.spz");
        assertEquals(0, Cli.run("convert", a.toString(), b.toString(), "-t", "decimate=0.2").exit());
        Path set = dir.resolve("lod-meta.json");
        Cli.Result w = Cli.run("convert", a.toString(), set.toString(), "--lod-input", "2=" + b, "--json");
        assertEquals(0, w.exit(), w::toString);
        assertEquals(1800, CommandsTest.json(w).get("splats").asLong(), w::toString);
        assertEquals(2, Cli.run("convert", a.toString(), dir.resolve("x.ply").toString(), "--lod-input", "1=" + b).exit());
        assertEquals(2, Cli.run("convert", set.toString(), dir.resolve("x.ply").toString(), "--lod", "5").exit());
        assertEquals(2, Cli.run("convert", a.toString(), set.toString(), "--lod-input", "x").exit());
    }
}
