package dev.vsa.cli;

import dev.vsa.cli.batch.Inputs;

import dev.vsa.cli.demo.SyntheticScene;
import dev.vsa.core.splat.SplatFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchTest {
    /** A mixed tree: valid splats (nested), a truncated PLY, garbage named .spz, a glTF mesh, a text file. */
    static Path mixedTree(Path dir) throws IOException {
        Path in = dir.resolve("in");
        Files.createDirectories(in.resolve("nested/deeper"));
        Files.createDirectories(in.resolve("broken"));
        Files.createDirectories(in.resolve("mesh"));
        SyntheticScene.write(in.resolve("a.ply"), SplatFormat.PLY, 500, 1, 1);
        SyntheticScene.write(in.resolve("nested/deeper/b.ply"), SplatFormat.PLY, 300, 0, 2);
        copy("minimal.splat", in.resolve("nested/c.splat"));
        Path whole = dir.resolve("whole.ply");
        SyntheticScene.write(whole, SplatFormat.PLY, 200, 0, 3);
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(in.resolve("broken/trunc.ply"), java.util.Arrays.copyOf(bytes, bytes.length - 100));
        Files.write(in.resolve("broken/garbage.spz"), "this is not an spz file at all".getBytes());
        copy("Box.glb", in.resolve("mesh/Box.glb"));
        Files.writeString(in.resolve("notes.txt"), "not a scene");
        return in;
    }

    static void copy(String fixture, Path to) throws IOException {
        try (InputStream s = BatchTest.class.getResourceAsStream("/fixtures/" + fixture)) {
            Files.copy(s, to);
        }
    }

    @Test
    void batch_mixedFolder_mirrorsTreeReportsAndExit1(@TempDir Path dir) throws Exception {
        Path in = mixedTree(dir);
        Path out = dir.resolve("out");
        Path junit = dir.resolve("reports/junit.xml");
        Path json = dir.resolve("reports/report.json");
        Cli.Result r = Cli.run("batch", in.toString(), "--to", "spz", "--out", out.toString(), "--jobs", "2",
                "--report-junit", junit.toString(), "--report-json", json.toString());
        assertEquals(ExitCodes.INVALID, r.exit(), r::toString);

        assertTrue(Files.isRegularFile(out.resolve("a.spz")), r::toString);
        assertTrue(Files.isRegularFile(out.resolve("nested/deeper/b.spz")), r::toString);
        assertTrue(Files.isRegularFile(out.resolve("nested/c.spz")), r::toString);
        assertFalse(Files.exists(out.resolve("broken/trunc.spz")), r::toString);
        assertFalse(Files.exists(out.resolve("notes.spz")), r::toString);
        assertTrue(r.out().contains("6 files: 3 ok, 2 invalid, 1 failed, 0 skipped"), r::toString);

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertEquals("6", suite.getAttribute("tests"));
        assertEquals("2", suite.getAttribute("failures"));
        assertEquals("1", suite.getAttribute("errors"));
        NodeList cases = doc.getElementsByTagName("testcase");
        assertEquals(6, cases.getLength());
        Map<String, String> failureTypes = new HashMap<>();
        NodeList failures = doc.getElementsByTagName("failure");
        for (int i = 0; i < failures.getLength(); i++) {
            Element f = (Element) failures.item(i);
            failureTypes.put(((Element) f.getParentNode()).getAttribute("name"), f.getAttribute("type"));
            assertFalse(f.getAttribute("message").isBlank());
        }
        assertEquals(2, failureTypes.size());
        assertTrue(failureTypes.entrySet().stream().anyMatch(e -> e.getKey().endsWith("trunc.ply")
                && e.getValue().contains("TRUNCATED")), failureTypes::toString);
        assertTrue(failureTypes.entrySet().stream().anyMatch(e -> e.getKey().endsWith("garbage.spz")
                && e.getValue().equals("UNKNOWN_FORMAT")), failureTypes::toString);

        var report = dev.vsa.cli.output.Json.MAPPER.readTree(json.toFile());
        assertEquals(6, report.get("summary").get("total").asInt());
        assertEquals(3, report.get("summary").get("ok").asInt());
        assertEquals(2, report.get("summary").get("invalid").asInt());
        assertEquals(1, report.get("summary").get("failed").asInt());
        assertEquals(6, report.get("files").size());
    }

    @Test
    void batch_filter_removedPerFileAndInSummary(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        SyntheticScene.write(in.resolve("a.ply"), SplatFormat.PLY, 400, 0, 1);
        SyntheticScene.write(in.resolve("b.ply"), SplatFormat.PLY, 300, 0, 2);
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("batch", in.toString(), "--to", "ply", "--out", out.toString(), "--filter", "opacity>0.85",
                "--json");
        assertEquals(0, r.exit(), r::toString);
        com.fasterxml.jackson.databind.JsonNode files = dev.vsa.cli.output.Json.MAPPER.readTree(r.out()).get("files");
        long removed = 0, kept = 0;
        for (com.fasterxml.jackson.databind.JsonNode f : files) {
            removed += f.get("removed").asLong();
            kept += f.get("splats").asLong();
        }
        assertEquals(700, removed + kept, r::toString);
        assertTrue(removed > 0 && kept > 0, r::toString);
        Cli.Result text = Cli.run("batch", in.toString(), "--to", "ply", "--out", out.toString(), "--filter", "opacity>0.85");
        assertTrue(text.out().contains("filters removed " + removed + " splats"), text::toString);
    }

    @Test
    void batch_skipExisting_skipsSecondRun(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        Files.createDirectories(in);
        SyntheticScene.write(in.resolve("a.ply"), SplatFormat.PLY, 100, 0, 1);
        Path out = dir.resolve("out");
        Cli.Result first = Cli.run("batch", in.toString(), "--to", "splat", "--out", out.toString(), "-q");
        assertEquals(ExitCodes.OK, first.exit(), first::toString);
        Cli.Result second = Cli.run("batch", in.toString(), "--to", "splat", "--out", out.toString(),
                "--skip-existing", "--json");
        assertEquals(ExitCodes.OK, second.exit(), second::toString);
        var report = dev.vsa.cli.output.Json.MAPPER.readTree(second.out());
        assertEquals(1, report.get("summary").get("skipped").asInt());
    }

    @Test
    void batch_glob_matchesBelowRoot(@TempDir Path dir) throws Exception {
        Path in = mixedTree(dir);
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("batch", in + "/**/*.ply", "--to", "splat", "--out", out.toString());
        // b.ply (nested), trunc.ply and a.ply: **/ matches zero folders too, as bash's globstar and gitignore do
        assertEquals(ExitCodes.INVALID, r.exit(), r::toString);
        assertTrue(Files.isRegularFile(out.resolve("nested/deeper/b.splat")), r::toString);
        assertTrue(Files.isRegularFile(out.resolve("a.splat")), r::toString);
        assertTrue(r.out().contains("3 files: 2 ok, 1 invalid"), r::toString);
    }

    @Test
    void zeroFolderVariants_eachDoubleStarSegmentOptional() {
        assertEquals(List.of("**/*.ply", "*.ply"), Inputs.zeroFolderVariants("**/*.ply"));
        assertEquals(List.of("a/**/b/**/*.ply", "a/**/b/*.ply", "a/b/**/*.ply", "a/b/*.ply"),
                Inputs.zeroFolderVariants("a/**/b/**/*.ply"));
        assertEquals(List.of("x**/*.ply"), Inputs.zeroFolderVariants("x**/*.ply"));
    }

    @Test
    void batch_globMatchingNothing_saysSoWithoutTable(@TempDir Path dir) throws Exception {
        Path in = mixedTree(dir);
        Cli.Result r = Cli.run("batch", in + "/**/*.ksplat", "--to", "spz", "--out", dir.resolve("out").toString());
        assertEquals(ExitCodes.IO, r.exit(), r::toString);
        assertTrue(r.err().contains("no file matches: " + in + "/**/*.ksplat"), r::toString);
        assertEquals("", r.out(), r::toString);
        Cli.Result noFolder = Cli.run("batch", dir + "/nope/*.ply", "--to", "spz", "--out", dir.resolve("out").toString());
        assertTrue(noFolder.err().contains("no file matches (no folder " + dir + "/nope)"), noFolder::toString);
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "not a scene");
        Cli.Result none = Cli.run("batch", empty.toString(), "--to", "spz", "--out", dir.resolve("out").toString());
        assertEquals(ExitCodes.IO, none.exit(), none::toString);
        assertTrue(none.err().contains("no file vsa reads in this folder"), none::toString);
    }

    @Test
    void batch_missingInput_exit3OthersStillConverted(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("a.ply");
        SyntheticScene.write(in, SplatFormat.PLY, 100, 0, 1);
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("batch", dir.resolve("nope.ply").toString(), in.toString(), "--to", "splat",
                "--out", out.toString());
        assertEquals(ExitCodes.IO, r.exit(), r::toString);
        assertTrue(r.err().contains("no such file"), r::toString);
        assertTrue(Files.isRegularFile(out.resolve("a.splat")), r::toString);
    }

    @Test
    void batch_outInsideInput_previousOutputsNotInputs(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        Files.createDirectories(in);
        SyntheticScene.write(in.resolve("a.ply"), SplatFormat.PLY, 50, 0, 1);
        Path out = in.resolve("out");
        for (int run = 0; run < 2; run++) {
            Cli.Result r = Cli.run("batch", in.toString(), "--to", "ply", "--out", out.toString());
            assertEquals(ExitCodes.OK, r.exit(), r::toString);
            assertTrue(r.out().contains("1 file: 1 ok"), r::toString);
        }
    }

    @Test
    void batch_sameNameDifferentEnding_bothKeptUnderTheirOwnNames(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        copy("minimal.splat", in.resolve("minimal.splat"));
        copy("minimal-v3.spz", in.resolve("minimal.spz"));
        SyntheticScene.write(in.resolve("other.ply"), SplatFormat.PLY, 20, 0, 4);
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("batch", in.toString(), "--to", "ply", "--out", out.toString(), "--jobs", "1");
        assertEquals(0, r.exit(), r::toString);
        // neither overwrote the other: each output keeps its input's ending; a name without a twin is as before
        assertTrue(Files.isRegularFile(out.resolve("minimal.splat.ply")), r::toString);
        assertTrue(Files.isRegularFile(out.resolve("minimal.spz.ply")), r::toString);
        assertTrue(Files.isRegularFile(out.resolve("other.ply")), r::toString);
        assertFalse(Files.exists(out.resolve("minimal.ply")), r::toString);
        assertTrue(r.err().contains("note: 2 inputs would be"), r::toString);
    }
}
