package dev.vsa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RenderCommandTest {
    @Test
    void render_splats_writesPngOfTheSize(@TempDir Path dir) throws Exception {
        Path in = CommandsTest.ply(dir, 2000, 1);
        Path out = dir.resolve("out/preview.png");
        Cli.Result r = Cli.run("render", in.toString(), "--out", out.toString(), "--size", "96x64", "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode doc = CommandsTest.json(r);
        assertEquals("splats", doc.get("kind").asText());
        assertEquals(2000, doc.get("inputCount").asLong());
        assertEquals(out.toString(), doc.get("outputs").get(0).asText());
        BufferedImage img = ImageIO.read(out.toFile());
        assertEquals(96, img.getWidth());
        assertEquals(64, img.getHeight());
    }

    @Test
    void render_orbit_writesNumberedFrames(@TempDir Path dir) throws Exception {
        Path glb = dir.resolve("Box.glb");
        BatchTest.copy("Box.glb", glb);
        Path out = dir.resolve("turn.png");
        Cli.Result r = Cli.run("render", glb.toString(), "--out", out.toString(), "--size", "32x32", "--orbit", "3",
                "--camera", "iso", "--background", "white");
        assertEquals(0, r.exit(), r::toString);
        for (int i = 0; i < 3; i++) {
            assertTrue(Files.isRegularFile(dir.resolve("turn-00" + i + ".png")), r::toString);
        }
        assertFalse(Files.exists(out));
        assertEquals(0xFFFFFF, ImageIO.read(dir.resolve("turn-000.png").toFile()).getRGB(0, 0) & 0xFFFFFF);
        assertTrue(r.out().contains("12 triangles drawn"), r::toString);
    }

    @Test
    void render_badOptions_usageError(@TempDir Path dir) throws Exception {
        Path in = CommandsTest.ply(dir, 10, 0);
        for (String[] bad : new String[][]{{"--size", "0x5"}, {"--camera", "side"}, {"--background", "#12"},
                {"--orbit", "0"}}) {
            Cli.Result r = Cli.run("render", in.toString(), "--out", dir.resolve("x.png").toString(), bad[0], bad[1]);
            assertEquals(ExitCodes.USAGE, r.exit(), r::toString);
        }
        Cli.Result r = Cli.run("render", in.toString(), "--out", dir.resolve("x.jpg").toString());
        assertEquals(ExitCodes.USAGE, r.exit(), r::toString);
    }

    @Test
    void render_invalidInput_exit1OneLine(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.ply"), "ply\nformat nonsense\n");
        Cli.Result r = Cli.run("render", bad.toString(), "--out", dir.resolve("x.png").toString());
        assertEquals(ExitCodes.INVALID, r.exit(), r::toString);
        assertEquals(1, r.err().strip().lines().count(), r::toString);
        Cli.Result missing = Cli.run("render", dir.resolve("nope.ply").toString(), "--out", dir.resolve("x.png").toString());
        assertEquals(ExitCodes.IO, missing.exit(), missing::toString);
    }
}
