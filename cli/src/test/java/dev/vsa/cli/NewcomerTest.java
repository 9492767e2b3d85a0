package dev.vsa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.cli.demo.SyntheticScene;
import dev.vsa.cli.output.Json;
import dev.vsa.core.splat.SplatFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a new user tripped over (issue 15): each case as the user typed it. */
class NewcomerTest {
    @Test
    void convert_splatsToGltf_finalBinNameAndSizeCountsBin(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("demo.ply");
        SyntheticScene.write(in, SplatFormat.PLY, 400, 3, 1);
        Cli.Result r = Cli.run("convert", "--json", in.toString(), dir.resolve("x.gltf").toString());
        assertEquals(0, r.exit(), r::toString);
        JsonNode j = Json.MAPPER.readTree(r.out());
        assertEquals(Files.size(dir.resolve("x.gltf")) + Files.size(dir.resolve("x.bin")), j.get("bytesOut").asLong());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("demo.ply", "x.bin", "x.gltf"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals("x.bin", Json.MAPPER.readTree(dir.resolve("x.gltf").toFile()).path("buffers").get(0).path("uri").asText());
    }

    @Test
    void convert_splatsToGltfEmbed_dataUriOnly(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("demo.ply");
        SyntheticScene.write(in, SplatFormat.PLY, 200, 1, 1);
        Cli.Result r = Cli.run("convert", in.toString(), dir.resolve("e.gltf").toString(), "--embed");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(Json.MAPPER.readTree(dir.resolve("e.gltf").toFile()).path("buffers").get(0).path("uri").asText()
                .startsWith("data:application/octet-stream;base64,"));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("demo.ply", "e.gltf"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Cli.Result back = Cli.run("inspect", "--json", dir.resolve("e.gltf").toString());
        assertEquals(200, Json.MAPPER.readTree(back.out()).get(0).get("count").asInt(), back::toString);
    }

    @Test
    void convert_sh3ToSplat_saysWhatIsLost(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("demo.ply");
        SyntheticScene.write(in, SplatFormat.PLY, 100, 3, 1);
        Cli.Result r = Cli.run("convert", in.toString(), dir.resolve("o.splat").toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("SH degree 0"), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        assertTrue(r.err().startsWith("warning: lossy: SH degree 3 -> 0"), r::toString);
        Cli.Result j = Cli.run("convert", "--json", in.toString(), dir.resolve("o2.splat").toString());
        JsonNode json = Json.MAPPER.readTree(j.out());
        assertEquals(0, json.get("shDegree").asInt());
        assertTrue(json.get("losses").get(0).asText().startsWith("SH degree 3 -> 0"), j::toString);
    }

    @Test
    void inspectAndValidate_directoryAndDevice_sayWhatIsWrong(@TempDir Path dir) {
        for (String cmd : List.of("inspect", "validate", "convert")) {
            Cli.Result d = cmd.equals("convert") ? Cli.run(cmd, dir.toString(), dir.resolve("o.spz").toString())
                    : Cli.run(cmd, dir.toString());
            assertEquals(ExitCodes.IO, d.exit(), d::toString);
            assertTrue(d.err().contains(dir + ": is a directory"), d::toString);
        }
        if (Files.exists(Path.of("/dev/null"))) {
            Cli.Result n = Cli.run("inspect", "/dev/null");
            assertEquals(ExitCodes.IO, n.exit(), n::toString);
            assertTrue(n.err().contains("/dev/null: not a regular file"), n::toString);
        }
    }

    @Test
    void missingFile_exit3Everywhere(@TempDir Path dir) {
        String missing = dir.resolve("nope.ply").toString();
        for (List<String> args : List.of(List.of("inspect", missing), List.of("validate", missing),
                List.of("convert", missing, dir.resolve("o.spz").toString()),
                List.of("upload", missing, "--server", "http://127.0.0.1:9"))) {
            Cli.Result r = Cli.run(args.toArray(String[]::new));
            assertEquals(ExitCodes.IO, r.exit(), () -> args + "\n" + r);
            assertTrue(r.err().contains("no such file: " + missing), () -> args + "\n" + r);
        }
    }

    @Test
    void textFile_oneCodeInInspectAndValidate(@TempDir Path dir) throws Exception {
        Path txt = Files.writeString(dir.resolve("notes.txt"), "not a scene\n");
        JsonNode inspect = Json.MAPPER.readTree(Cli.run("inspect", "--json", txt.toString()).out());
        JsonNode validate = Json.MAPPER.readTree(Cli.run("validate", "--json", txt.toString()).out());
        assertEquals("UNKNOWN_FORMAT", inspect.get(0).get("code").asText());
        assertEquals("UNKNOWN_FORMAT", validate.get(0).path("issues").path("messages").get(0).path("code").asText());
    }

    @Test
    void convert_intoMissingFolder_namesTheFolder(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("demo.ply");
        SyntheticScene.write(in, SplatFormat.PLY, 10, 0, 1);
        Cli.Result r = Cli.run("convert", in.toString(), dir.resolve("missing/out.spz").toString());
        assertEquals(ExitCodes.IO, r.exit(), r::toString);
        assertTrue(r.err().contains("no such folder: " + dir.resolve("missing")), r::toString);
        assertFalse(r.err().contains(".vsa-"), r::toString);
    }

    /** An error about the output names OUT as the user gave it, never the hidden temporary file beside it. */
    @Test
    void convert_outputCannotBeCreated_namesOut(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("demo.ply");
        SyntheticScene.write(in, SplatFormat.PLY, 10, 0, 1);
        Path out = Path.of("/proc/version.spz");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(out.getParent()) && !Files.exists(out));
        Cli.Result r = Cli.run("convert", in.toString(), out.toString());
        assertEquals(ExitCodes.IO, r.exit(), r::toString);
        assertTrue(r.err().contains(": " + out), r::toString);
        assertFalse(r.err().contains(".vsa-"), r::toString);
    }

    @Test
    void vsaHome_followsHomeVariable(@TempDir Path dir) {
        assertEquals(dir.resolve(".vsa"), dev.vsa.processing.ProcessingConfig.defaultHome(java.util.Map.of("HOME",
                dir.toString())));
    }

    /** Every command of the tree, depth first. */
    private static List<picocli.CommandLine> all(picocli.CommandLine cl) {
        List<picocli.CommandLine> out = new java.util.ArrayList<>(List.of(cl));
        for (picocli.CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getParent() == cl && !sub.getCommandSpec().name().equals("help")) {
                out.addAll(all(sub));
            }
        }
        return out;
    }

    /** The texts a command's help wraps (its own and its subcommands' for the command list), each line whole. */
    private static String unwrapped(picocli.CommandLine cl) {
        List<String[]> parts = new java.util.ArrayList<>();
        picocli.CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        parts.add(spec.usageMessage().description());
        parts.add(spec.usageMessage().header());
        spec.options().forEach(o -> parts.add(o.description()));
        spec.positionalParameters().forEach(p -> parts.add(p.description()));
        for (picocli.CommandLine sub : cl.getSubcommands().values()) {
            parts.add(sub.getCommandSpec().usageMessage().description());
            parts.add(sub.getCommandSpec().usageMessage().header());
        }
        StringBuilder b = new StringBuilder();
        parts.forEach(a -> b.append(String.join("\n", a)).append('\n'));
        return b.toString();
    }

    @Test
    void help_neverBreaksTokensEndsWithExitCodes() {
        for (picocli.CommandLine cl : all(Main.commandLine())) {
            String help = cl.getUsageMessage(picocli.CommandLine.Help.Ansi.OFF);
            String name = cl.getCommandSpec().qualifiedName();
            String texts = unwrapped(cl);
            List<String> lines = help.lines().toList();
            for (int i = 0; i + 1 < lines.size(); i++) {
                String a = lines.get(i).stripTrailing();
                String b = lines.get(i + 1).strip();
                assertFalse(a.endsWith(":") && b.startsWith("//"), name + ": URL broken at line " + i + "\n" + help);
                boolean continuation = lines.get(i + 1).startsWith("        "); // a wrapped description
                // ("~/." then "config", " ." then "glb": a path or a file-name ending cut after its dot, in a
                // description's paragraph as in its indented continuation)
                assertFalse(continuation && (a.endsWith("-") || a.endsWith("/")) || a.endsWith(" .")
                        || a.endsWith("/."), name
                        + ": token broken at line " + i + "\n" + help);
                // "such as a.splat and a." then "ksplat": a line ending in a dot that the texts have inside a name
                String last = a.substring(a.lastIndexOf(' ') + 1);
                String first = b.split(" ", 2)[0];
                assertFalse(last.endsWith(".") && !first.isEmpty() && texts.contains(last + first),
                        name + ": name '" + last + first + "' broken after its dot at line " + i + "\n" + help);
            }
            // a split option whose label already says "[,...]" shows it once, not picocli's LABEL[,LABEL...] again
            assertFalse(help.contains("...][,"), name + ": an option's label repeated\n" + help);
            for (String footer : cl.getCommandSpec().usageMessage().footer()) {
                for (String example : footer.split("%n|\n")) {
                    assertTrue(help.contains(example.stripTrailing()), name + ": example wrapped: " + example + "\n" + help);
                }
            }
            List<String> tail = lines.stream().filter(l -> !l.isBlank()).toList();
            String lastCode = List.copyOf(ExitCodes.HELP_TABLE.values()).get(ExitCodes.HELP_TABLE.size() - 1);
            assertTrue(tail.get(tail.size() - 1).contains(lastCode), name + " does not end with "
                    + "the exit codes:\n" + help);
        }
    }

    @Test
    void merge_noInputs_oneErrorPrefix(@TempDir Path dir) {
        Cli.Result r = Cli.run("merge", "-o", dir.resolve("x.spz").toString());
        assertEquals(ExitCodes.USAGE, r.exit(), r::toString);
        assertTrue(r.err().startsWith("error: Missing required argument(s)"), r::toString);
        assertFalse(r.err().contains("Error:"), r::toString);
    }

    @Test
    void typo_oneSuggestionAsTheReadmeShows() {
        Cli.Result r = Cli.run("conver");
        assertEquals(ExitCodes.USAGE, r.exit(), r::toString);
        assertTrue(r.err().contains("Did you mean: vsa convert?\n"), r::toString);
    }

    @Test
    void batch_lossyConversion_saysSoOnceAndPerFileInJson(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("in"));
        SyntheticScene.write(dir.resolve("in/a.ply"), SplatFormat.PLY, 50, 2, 1);
        Cli.Result r = Cli.run("batch", dir.resolve("in").toString(), "--to", "splat", "--out", dir.resolve("out").toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.err().contains("warning: lossy: 1 of 1 files"), r::toString);
        Cli.Result j = Cli.run("batch", "--json", dir.resolve("in").toString(), "--to", "splat", "--out",
                dir.resolve("out2").toString());
        assertTrue(Json.MAPPER.readTree(j.out()).get("files").get(0).get("losses").get(0).asText()
                .startsWith("SH degree 2 -> 0"), j::toString);
    }

    @Test
    void readme_exitCodeTableIsTheHelps() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("vsa.repo.root", "..")).resolve("README.md"));
        for (var e : ExitCodes.HELP_TABLE.entrySet()) {
            String row = "| " + e.getKey() + " | " + e.getValue().replace("--stacktrace", "`--stacktrace`") + " |";
            assertTrue(readme.contains(row), "README.md lacks the row " + row);
        }
    }

    @Test
    void serverRefusals_oneExitCodeTable() {
        // the file itself refused: 1; a value refused: 2; the server's state (no such thing, a conflict, a feature it
        // lacks): 3, for a 409 as for a 404
        assertEquals(ExitCodes.INVALID, dev.vsa.cli.remote.RemoteCommand.exitCode(
                new dev.vsa.cli.remote.RemoteException(413, "payload-too-large", "too large", null)));
        assertEquals(ExitCodes.INVALID, dev.vsa.cli.remote.RemoteCommand.exitCode(
                new dev.vsa.cli.remote.RemoteException(422, "invalid-upload", "missing resources", null)));
        assertEquals(ExitCodes.USAGE, dev.vsa.cli.remote.RemoteCommand.exitCode(
                new dev.vsa.cli.remote.RemoteException(422, "invalid-field", "bad scope", "scopes")));
        for (int status : new int[] {404, 409, 410, 429, 503}) {
            assertEquals(ExitCodes.IO, dev.vsa.cli.remote.RemoteCommand.exitCode(
                    new dev.vsa.cli.remote.RemoteException(status, "x", "x", null)), "HTTP " + status);
        }
    }
}
