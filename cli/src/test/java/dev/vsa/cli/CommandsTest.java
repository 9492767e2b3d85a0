package dev.vsa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.cli.demo.SyntheticScene;
import dev.vsa.cli.output.Json;
import dev.vsa.core.splat.SplatFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real argv through {@link Main#commandLine()} in a temporary folder: exit codes and output. */
class CommandsTest {
    static Path ply(Path dir, int count, int degree) throws Exception {
        Path p = dir.resolve("scene.ply");
        SyntheticScene.write(p, SplatFormat.PLY, count, degree, 7);
        return p;
    }

    static JsonNode json(Cli.Result r) throws Exception {
        return Json.MAPPER.readTree(r.out());
    }

    @Test
    void demo_writesConvertsInspectsValidates(@TempDir Path dir) throws Exception {
        Cli.Result r = Cli.run("demo", "--out", dir.toString(), "--splats", "1000", "--json");
        for (String f : new String[] {"demo.ply", "demo.spz", "demo.glb"}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        JsonNode doc = json(r);
        assertEquals(3, doc.get("files").size(), r::toString);
        for (JsonNode f : doc.get("files")) {
            assertEquals(1000, f.get("splats").asLong(), r::toString);
            assertEquals(3, f.get("shDegree").asInt(), r::toString);
        }
        assertTrue(doc.get("valid").asBoolean(), r::toString);
        assertEquals(0, r.exit(), r::toString);
    }

    @Test
    void demo_text_saysWhatItDid(@TempDir Path dir) {
        Cli.Result r = Cli.run("demo", "--out", dir.toString(), "--splats", "500");
        assertTrue(r.out().contains("converted PLY to SPZ"), r::toString);
        assertTrue(r.out().contains("demo.glb"), r::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ply", "compressed-ply", "splat", "spz", "glb", "gltf", "sog"})
    void convert_plyToEachFormat_keepsCount(String format, @TempDir Path dir) throws Exception {
        Path in = ply(dir, 1200, 1);
        // the name is the format's ending: .splat has no magic number and is known by its name only
        Path out = dir.resolve("out" + SplatFormat.byId(format).orElseThrow().extension());
        Cli.Result r = Cli.run("convert", in.toString(), out.toString(), "--to", format, "--json");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(1200, json(r).get("splats").asLong(), r::toString);
        Cli.Result back = Cli.run("inspect", "--json", out.toString());
        assertEquals(0, back.exit(), back::toString);
        JsonNode info = json(back).get(0);
        assertEquals(format, info.get("format").asText(), back::toString);
        assertEquals(1200, info.get("count").asLong(), back::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"convert", "merge"})
    void outputFormat_unknownEndingWithoutTo_usageErrorListingTheFormats(String command, @TempDir Path dir)
            throws Exception {
        Path in = ply(dir, 10, 1);
        Path out = dir.resolve("out.xyz");
        Cli.Result r = command.equals("convert") ? Cli.run("convert", in.toString(), out.toString())
                : Cli.run("merge", in.toString(), in.toString(), "-o", out.toString());
        assertEquals(ExitCodes.USAGE, r.exit(), r::toString);
        assertTrue(r.err().contains("cannot tell the output format from 'out.xyz': add --to FORMAT (one of ply, "),
                r::toString);
        assertFalse(Files.exists(out));
        Cli.Result given = command.equals("convert") ? Cli.run("convert", in.toString(), out.toString(), "--to", "spz", "-q")
                : Cli.run("merge", in.toString(), in.toString(), "-o", out.toString(), "--to", "spz", "-q");
        assertEquals(0, given.exit(), given::toString);
    }

    @Test
    void convert_writingOptionTheOutputDoesNotUse_warnsAndConverts(@TempDir Path dir) throws Exception {
        Path in = ply(dir, 50, 3);
        Cli.Result r = Cli.run("convert", in.toString(), dir.resolve("o.spz").toString(), "--lod-levels", "3",
                "--ksplat-level", "2", "--spz-version", "3", "-q");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.err().contains("warning: --lod-levels applies only to lod-meta.json outputs; ignored for a spz output"), r::toString);
        assertTrue(r.err().contains("warning: --ksplat-level applies only to .ksplat outputs"), r::toString);
        assertFalse(r.err().contains("--spz-version"), r::toString);
        assertTrue(Files.size(dir.resolve("o.spz")) > 0);
        Cli.Result plain = Cli.run("convert", in.toString(), dir.resolve("o2.spz").toString(), "-q");
        assertFalse(plain.err().contains("applies only"), plain::toString);
    }

    @Test
    void convert_fromFrameToFrame_negatesTheAxesThatDiffer(@TempDir Path dir) throws Exception {
        Path in = ply(dir, 10, 2);
        Path out = dir.resolve("rub.ply");
        Cli.Result r = Cli.run("convert", in.toString(), out.toString(), "--from-frame", "RDF", "--to-frame", "RUB");
        assertEquals(0, r.exit(), r::toString);
        dev.vsa.core.splat.SplatBatch a = read(in);
        dev.vsa.core.splat.SplatBatch b = read(out);
        for (int i = 0; i < 10; i++) {
            assertEquals(a.get(i, 0), b.get(i, 0), 0f);
            assertEquals(-a.get(i, 1), b.get(i, 1), 0f);
            assertEquals(-a.get(i, 2), b.get(i, 2), 0f);
        }
        Cli.Result half = Cli.run("convert", in.toString(), out.toString(), "--from-frame", "RDF");
        assertEquals(2, half.exit(), half::toString);
        Cli.Result bad = Cli.run("convert", in.toString(), out.toString(), "--from-frame", "XYZ", "--to-frame", "RUB");
        assertEquals(2, bad.exit(), bad::toString);
        // a rotated frame (z up): RDF (x, y, z) is RFU (x, z, -y)
        Path zUp = dir.resolve("rfu.ply");
        Cli.Result rfu = Cli.run("convert", in.toString(), zUp.toString(), "--from-frame", "RDF", "--to-frame", "RFU");
        assertEquals(0, rfu.exit(), rfu::toString);
        dev.vsa.core.splat.SplatBatch c = read(zUp);
        for (int i = 0; i < 10; i++) {
            assertEquals(a.get(i, 0), c.get(i, 0), 0f);
            assertEquals(a.get(i, 2), c.get(i, 1), 0f);
            assertEquals(-a.get(i, 1), c.get(i, 2), 0f);
        }
    }

    @Test
    void convert_filter_removesAndCounts(@TempDir Path dir) throws Exception {
        Path in = ply(dir, 1000, 1);
        Path out = dir.resolve("kept.ply");
        Cli.Result r = Cli.run("convert", in.toString(), out.toString(), "--filter", "opacity>0.85", "--filter",
                "scale_max<0.05,red>=0", "--json");
        assertEquals(0, r.exit(), r::toString);
        dev.vsa.core.splat.SplatBatch a;
        try (dev.vsa.core.splat.SplatReader rd = dev.vsa.core.splat.Splats.open(in)) {
            a = new dev.vsa.core.splat.SplatBatch(rd.info().layout(), 1000);
            assertEquals(1000, rd.read(a));
        }
        long want = 0;
        for (int i = 0; i < a.size(); i++) {
            double o = 1 / (1 + Math.exp(-a.get(i, dev.vsa.core.splat.SplatLayout.OPACITY)));
            double s = Math.exp(Math.max(a.get(i, 3), Math.max(a.get(i, 4), a.get(i, 5))));
            double red = 0.5 + 0.28209479177387814 * a.get(i, dev.vsa.core.splat.SplatLayout.DC_0);
            if (o > 0.85 && s < 0.05 && red >= 0) {
                want++;
            }
        }
        assertTrue(want > 0 && want < 1000, "both outcomes: " + want);
        assertEquals(want, json(r).get("splats").asLong(), r::toString);
        assertEquals(1000 - want, json(r).get("removed").asLong(), r::toString);
        try (dev.vsa.core.splat.SplatReader rd = dev.vsa.core.splat.Splats.open(out)) {
            assertEquals(want, rd.info().count());
        }
        Cli.Result text = Cli.run("convert", in.toString(), out.toString(), "--filter", "opacity>0.85,scale_max<0.05,red>=0");
        assertTrue(text.out().contains((1000 - want) + " of 1000 removed by filters"), text::toString);
        Cli.Result plain = Cli.run("convert", in.toString(), out.toString(), "--json");
        assertTrue(!json(plain).has("removed"), plain::toString);
        Cli.Result unknown = Cli.run("convert", in.toString(), out.toString(), "--filter", "opacty>0.5");
        assertEquals(2, unknown.exit(), unknown::toString);
        assertTrue(unknown.err().contains("unknown column 'opacty'"), unknown::toString);
        Cli.Result bad = Cli.run("convert", in.toString(), out.toString(), "--filter", "opacity>>0.5");
        assertEquals(2, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("not a number"), bad::toString);
        Cli.Result help = Cli.run("convert", "--help");
        assertTrue(help.out().contains("--filter") && help.out().contains("scale_max") && help.out().contains("raw_opacity"),
                help::toString);
    }

    @Test
    void convert_ksplatLevels_writeAndReadBack(@TempDir Path dir) throws Exception {
        Path in = ply(dir, 300, 2);
        long previous = Long.MAX_VALUE;
        for (int level = 0; level <= 2; level++) {
            Path out = dir.resolve("l" + level + ".ksplat");
            Cli.Result r = Cli.run("convert", in.toString(), out.toString(), "--ksplat-level", "" + level, "--json");
            assertEquals(0, r.exit(), r::toString);
            assertEquals(300, json(r).get("splats").asLong(), r::toString);
            Cli.Result back = Cli.run("inspect", "--json", out.toString());
            assertEquals("ksplat", json(back).get(0).get("format").asText(), back::toString);
            assertTrue(back.out().contains("level " + level), back::toString);
            assertTrue(java.nio.file.Files.size(out) < previous, "each level smaller");
            previous = java.nio.file.Files.size(out);
        }
        Cli.Result bad = Cli.run("convert", in.toString(), dir.resolve("x.ksplat").toString(), "--ksplat-level", "3");
        assertEquals(2, bad.exit(), bad::toString);
    }

    @Test
    void merge_eachInputItsOwnTransforms(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.ply");
        Path b = dir.resolve("b.ply");
        dev.vsa.cli.demo.SyntheticScene.write(a, SplatFormat.PLY, 100, 0, 1);
        dev.vsa.cli.demo.SyntheticScene.write(b, SplatFormat.PLY, 50, 1, 2);
        Path out = dir.resolve("m.ply");
        Cli.Result r = Cli.run("merge", a.toString(), "-t", "translate=1,0,0", b.toString(), "-t", "scale=2",
                "-o", out.toString(), "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode j = json(r);
        assertEquals(150, j.get("splats").asLong(), r::toString);
        assertEquals(1, j.get("shDegree").asInt(), r::toString);
        assertEquals(100, j.get("inputs").get(0).get("splats").asLong(), r::toString);
        assertEquals("translate", j.get("inputs").get(0).get("transforms").get(0).asText().substring(0, 9), r::toString);
        assertTrue(j.get("notes").get(0).asText().contains("padded"), r::toString);
        dev.vsa.core.splat.SplatBatch ra = read(a), rb = read(b), m;
        try (dev.vsa.core.splat.SplatReader rd = dev.vsa.core.splat.Splats.open(out)) {
            m = new dev.vsa.core.splat.SplatBatch(rd.info().layout(), 150);
            assertEquals(150, rd.read(m));
        }
        assertEquals(ra.get(0, 0) + 1, m.get(0, 0), 1e-6);
        assertEquals(rb.get(0, 2) * 2, m.get(100, 2), 1e-6);
        Cli.Result text = Cli.run("merge", a.toString(), b.toString(), "-o", dir.resolve("m.spz").toString());
        assertEquals(0, text.exit(), text::toString);
        assertTrue(text.err().contains("note: a.ply: SH degree 0 padded to 1"), text::toString);
        Cli.Result noOut = Cli.run("merge", a.toString(), b.toString());
        assertEquals(2, noOut.exit(), noOut::toString);
    }

    /** The page itself is checked in a browser by server-lite's StandaloneViewerBrowserTest. */
    @Test
    void convert_html_oneSelfContainedPage(@TempDir Path dir) throws Exception {
        Path in = ply(dir, 500, 1);
        Path out = dir.resolve("scene.html");
        Cli.Result r = Cli.run("convert", in.toString(), out.toString(), "-t", "scale=2", "--json");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("html", json(r).get("to").asText(), r::toString);
        assertEquals(500, json(r).get("splats").asLong(), r::toString);
        String page = java.nio.file.Files.readString(out);
        assertTrue(page.contains("<script type=\"importmap\">") && page.contains("id=\"vsa-scene\"")
                && page.contains("\"@sparkjsdev/spark\": \"data:text/javascript;base64,"), "inlined viewer");
        assertTrue(!java.util.regex.Pattern.compile("(src|href)=\"https?:").matcher(page).find(), "no external reference");
        try (java.util.stream.Stream<Path> left = java.nio.file.Files.list(dir)) {
            assertEquals(0, left.filter(p -> p.getFileName().toString().startsWith(".")).count(), "no temporary left");
        }
    }

    @Test
    void convert_toHtml_asAnOutputEndingInHtml(@TempDir Path dir) throws Exception {
        Path in = ply(dir, 50, 0);
        Path out = dir.resolve("page.out");
        Cli.Result r = Cli.run("convert", in.toString(), out.toString(), "--to", "html", "--json");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("html", json(r).get("to").asText(), r::toString);
        assertTrue(java.nio.file.Files.readString(out).contains("id=\"vsa-scene\""), "the viewer page");
        Cli.Result bad = Cli.run("convert", in.toString(), out.toString(), "--to", "htm");
        assertEquals(ExitCodes.USAGE, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("html)"), bad::toString); // the list of formats names it
        Cli.Result folder = Cli.run("convert", in.toString(), dir.toString());
        assertEquals(ExitCodes.USAGE, folder.exit(), folder::toString);
        assertTrue(folder.err().contains("is a folder: OUT is the file to write"), folder::toString);
        Cli.Result merge = Cli.run("merge", in.toString(), in.toString(), "-o", dir.resolve("m.html").toString());
        assertEquals(ExitCodes.USAGE, merge.exit(), merge::toString);
        assertTrue(merge.err().contains("vsa convert"), merge::toString);
    }

    @Test
    void diff_spzAgainstSource_groupsAndThresholds(@TempDir Path dir) throws Exception {
        Path in = ply(dir, 800, 3);
        Path spz = dir.resolve("out.spz");
        assertEquals(0, Cli.run("convert", in.toString(), spz.toString()).exit());
        Cli.Result r = Cli.run("diff", in.toString(), spz.toString(), "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode d = json(r);
        assertEquals(800, d.get("compared").asLong(), r::toString);
        double pos = d.get("groups").get("position").get("max").asDouble();
        assertTrue(pos > 0 && pos < 1e-3, r::toString); // SPZ's 12 fractional bits
        assertTrue(d.get("groups").has("sh3"), r::toString);
        Cli.Result strict = Cli.run("diff", in.toString(), spz.toString(), "--max-error", "position=1e-9");
        assertEquals(1, strict.exit(), strict::toString);
        assertTrue(strict.out().contains("over the threshold: position.max"), strict::toString);
        Cli.Result loose = Cli.run("diff", in.toString(), spz.toString(), "--max-error", "position.p99=1,rotation_deg=5");
        assertEquals(0, loose.exit(), loose::toString);
        Cli.Result self = Cli.run("diff", "--match", "nearest", in.toString(), in.toString(), "--json");
        assertEquals(0.0, json(self).get("groups").get("position").get("max").asDouble(), self::toString);
        assertEquals(2, Cli.run("diff", in.toString(), spz.toString(), "--max-error", "nosuch=1").exit());
    }

    private static dev.vsa.core.splat.SplatBatch read(Path p) throws Exception {
        try (dev.vsa.core.splat.SplatReader r = dev.vsa.core.splat.Splats.open(p)) {
            dev.vsa.core.splat.SplatBatch b = new dev.vsa.core.splat.SplatBatch(r.info().layout(), 100);
            r.read(b);
            return b;
        }
    }

    @Test
    void convert_formatFromExtension(@TempDir Path dir) throws Exception {
        Path in = ply(dir, 100, 0);
        Cli.Result r = Cli.run("convert", in.toString(), dir.resolve("x.spz").toString(), "--spz-version", "3");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("-> " + dir.resolve("x.spz") + " (spz"), r::toString);
    }

    @Test
    void convert_unknownFormat_exit2ListsFormats(@TempDir Path dir) throws Exception {
        Path in = ply(dir, 10, 0);
        Cli.Result r = Cli.run("convert", in.toString(), dir.resolve("x.out").toString(), "--to", "obj");
        assertEquals(ExitCodes.USAGE, r.exit(), r::toString);
        assertTrue(r.err().contains("spz"), r::toString);
        Cli.Result noExt = Cli.run("convert", in.toString(), dir.resolve("x.out").toString());
        assertEquals(ExitCodes.USAGE, noExt.exit(), noExt::toString);
        assertTrue(noExt.err().contains("--to FORMAT"), noExt::toString);
    }

    @Test
    void convert_truncatedInput_exit1OneLineWithCode(@TempDir Path dir) throws Exception {
        Path in = ply(dir, 100, 0);
        byte[] b = Files.readAllBytes(in);
        Files.write(in, java.util.Arrays.copyOf(b, b.length - 10));
        Cli.Result r = Cli.run("convert", in.toString(), dir.resolve("x.spz").toString());
        assertEquals(ExitCodes.INVALID, r.exit(), r::toString);
        assertTrue(r.err().startsWith("error: PLY_TRUNCATED at byte "), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        assertTrue(Files.notExists(dir.resolve("x.spz")), r::toString);
    }

    @Test
    void convert_meshGlbToEmbeddedGltf(@TempDir Path dir) throws Exception {
        Path glb = dir.resolve("Box.glb");
        BatchTest.copy("Box.glb", glb);
        Path gltf = dir.resolve("Box.gltf");
        Cli.Result r = Cli.run("convert", glb.toString(), gltf.toString(), "--embed");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(Files.readString(gltf).contains("data:"), r::toString);
        Cli.Result back = Cli.run("convert", gltf.toString(), dir.resolve("again.glb").toString());
        assertEquals(0, back.exit(), back::toString);
        Cli.Result spz = Cli.run("convert", glb.toString(), dir.resolve("x.spz").toString());
        assertEquals(ExitCodes.INVALID, spz.exit(), spz::toString);
        assertTrue(spz.err().contains("meshes"), spz::toString);
    }

    @Test
    void inspect_splatAndMesh_json(@TempDir Path dir) throws Exception {
        Path in = ply(dir, 300, 2);
        Path glb = dir.resolve("Box.glb");
        BatchTest.copy("Box.glb", glb);
        Cli.Result r = Cli.run("inspect", "--json", in.toString(), glb.toString());
        assertEquals(0, r.exit(), r::toString);
        JsonNode doc = json(r);
        assertEquals("splats", doc.get(0).get("kind").asText());
        assertEquals(300, doc.get(0).get("count").asLong());
        assertEquals(2, doc.get(0).get("shDegree").asInt());
        assertEquals(14 + 24, doc.get(0).get("columns").size());
        assertTrue(doc.get(0).get("bounds").get("maxX").isNumber());
        assertEquals("mesh", doc.get(1).get("kind").asText());
        assertEquals(1, doc.get(1).get("gltf").get("meshes").size());
    }

    @Test
    void inspect_text_showsTables(@TempDir Path dir) throws Exception {
        Path glb = dir.resolve("Box.glb");
        BatchTest.copy("Box.glb", glb);
        Cli.Result r = Cli.run("inspect", ply(dir, 50, 0).toString(), glb.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("splats         50"), r::toString);
        assertTrue(r.out().contains("TRIANGLES"), r::toString);
        // counts of one are singular (they read "1 scenes, ... 1 meshes")
        assertTrue(r.out().contains("objects        1 scene, 2 nodes, 1 mesh, 1 material, 0 textures, 0 images, "
                + "0 animations, 0 skins"), r::toString);
        assertTrue(r.out().contains("totals         1 draw call, 24 vertices, 12 triangles"), r::toString);
    }

    @Test
    void inspect_badFile_reportedOthersStillInspected(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.spz");
        Files.writeString(bad, "nope");
        Path good = ply(dir, 20, 0);
        Cli.Result r = Cli.run("inspect", bad.toString(), good.toString());
        assertEquals(ExitCodes.INVALID, r.exit(), r::toString);
        assertTrue(r.err().contains("UNKNOWN_FORMAT"), r::toString);
        assertTrue(r.out().contains("splats         20"), r::toString);
    }

    @Test
    void validate_validInvalidMissing_exitCodesAndJsonArray(@TempDir Path dir) throws Exception {
        Path glb = dir.resolve("Box.glb");
        BatchTest.copy("Box.glb", glb);
        Cli.Result ok = Cli.run("validate", glb.toString());
        assertEquals(0, ok.exit(), ok::toString);
        assertTrue(ok.out().contains("valid"), ok::toString);

        Path bad = dir.resolve("bad.glb");
        Files.writeString(bad, "glTF this is not");
        Cli.Result r = Cli.run("validate", "--json", glb.toString(), bad.toString());
        assertEquals(ExitCodes.INVALID, r.exit(), r::toString);
        JsonNode doc = json(r);
        assertEquals(2, doc.size());
        assertEquals(0, doc.get(0).get("issues").get("numErrors").asInt());
        assertTrue(doc.get(1).get("issues").get("numErrors").asInt() > 0);

        Cli.Result missing = Cli.run("validate", dir.resolve("none.glb").toString(), glb.toString());
        assertEquals(ExitCodes.IO, missing.exit(), missing::toString);
        assertTrue(missing.err().contains("error: no such file: " + dir.resolve("none.glb")), missing::toString);
    }

    @Test
    void inspect_missingFile_exit3(@TempDir Path dir) {
        Cli.Result r = Cli.run("inspect", dir.resolve("none.ply").toString());
        assertEquals(ExitCodes.IO, r.exit(), r::toString);
        assertTrue(r.err().contains("none.ply"), r::toString);
    }

    @Test
    void validate_badFailOn_exit2(@TempDir Path dir) {
        Cli.Result r = Cli.run("validate", "--fail-on", "never", dir.toString());
        assertEquals(ExitCodes.USAGE, r.exit(), r::toString);
        assertTrue(r.err().contains("error, warning"), r::toString);
    }

    @Test
    void convert_transforms_appliedInCommandLineOrder(@TempDir Path dir) throws Exception {
        Path in = ply(dir, 200, 1);
        double minX = json(Cli.run("inspect", "--json", in.toString())).get(0).get("bounds").get("minX").asDouble();
        Path a = dir.resolve("a.ply");
        Path b = dir.resolve("b.ply");
        assertEquals(0, Cli.run("convert", in.toString(), a.toString(), "-t", "translate=10,0,0", "-t", "scale=2").exit());
        assertEquals(0, Cli.run("convert", in.toString(), b.toString(), "--transform", "scale=2", "-t", "translate=10,0,0").exit());
        double ax = json(Cli.run("inspect", "--json", a.toString())).get(0).get("bounds").get("minX").asDouble();
        double bx = json(Cli.run("inspect", "--json", b.toString())).get(0).get("bounds").get("minX").asDouble();
        assertEquals((minX + 10) * 2, ax, 1e-3);
        assertEquals(minX * 2 + 10, bx, 1e-3);
    }

    @Test
    void convert_badTransform_exit2NamesIt(@TempDir Path dir) throws Exception {
        Cli.Result r = Cli.run("convert", ply(dir, 10, 0).toString(), dir.resolve("o.spz").toString(), "-t", "rotat=1");
        assertEquals(ExitCodes.USAGE, r.exit(), r::toString);
        assertTrue(r.err().contains("unknown transform 'rotat'"), r::toString);
    }
}
