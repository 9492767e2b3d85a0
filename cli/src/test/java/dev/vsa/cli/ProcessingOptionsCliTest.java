package dev.vsa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vsa.server.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vsa upload} with processing options and {@code vsa scenes reprocess}, against a real server. */
class ProcessingOptionsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestStack stack = TestStack.shared();

    private Cli.Result vsa(Path token, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--server", stack.server.baseUrl(), "--token-file", token.toString(), "--credentials-file",
                token.resolveSibling("credentials").toString()));
        return Cli.run(a.toArray(String[]::new));
    }

    /** A personal access token of a new account, in a file. */
    private Path token(Path dir) throws Exception {
        TestStack.Account a = stack.newAccount("cliopt");
        JsonNode t = JSON.readTree(stack.postJson("/tokens", java.util.Map.of("name", "ci",
                "scopes", List.of("scenes:read", "scenes:write")), a.bearer()).body());
        return Files.writeString(dir.resolve("token"), t.path("token").asText());
    }

    @Test
    void uploadWithOptions_thenReprocess(@TempDir Path dir) throws Exception {
        Path token = token(dir);
        Path file = dir.resolve("s.splat");
        Files.write(file, TestStack.splat(80, 21));
        Cli.Result r = vsa(token, "upload", file.toString(), "--outputs", "spz", "--spz-version", "3",
                "-t", "filter-nan", "--from-frame", "RDF", "--to-frame", "RUB", "--wait", "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode up = JSON.readTree(r.out());
        assertEquals("ready", up.path("status").asText(), r::toString);
        JsonNode options = up.path("processing_options");
        assertEquals("[\"spz\"]", options.path("outputs").toString(), r::toString);
        assertEquals("[\"filter-nan\"]", options.path("transforms").toString());
        assertEquals("RUB", options.path("to_frame").asText());
        assertEquals(3, options.path("spz_version").asInt());
        String id = up.path("scene_id").asText();

        r = vsa(token, "scenes", "reprocess", id.substring(0, 8), "--outputs", "ply,glb", "--wait", "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode scene = JSON.readTree(r.out());
        assertEquals("ready", scene.path("status").asText(), r::toString);
        Set<String> names = new TreeSet<>();
        scene.path("files").forEach(f -> names.add(f.path("name").asText()));
        // and the SPZ 3 the web app's viewer shows (no scene.spz now)
        assertEquals(Set.of("original/s.splat", "validation.json", "scene.glb", "scene.ply", "viewer.spz"), names, r::toString);
        assertEquals("[\"glb\",\"ply\"]", scene.path("processing_options").path("outputs").toString());
    }

    @Test
    void badOption_usageErrorAndNothingSent(@TempDir Path dir) throws Exception {
        Path token = token(dir);
        Path file = dir.resolve("s.splat");
        Files.write(file, TestStack.splat(10, 22));
        Cli.Result r = vsa(token, "upload", file.toString(), "--outputs", "spz,fbx");
        assertEquals(ExitCodes.USAGE, r.exit(), r::toString);
        assertTrue(r.err().startsWith("error: --outputs: unknown output 'fbx'"), r::toString);
        r = vsa(token, "upload", file.toString(), "-t", "rotate=1,2");
        assertEquals(ExitCodes.USAGE, r.exit(), r::toString);
        assertTrue(r.err().contains("--transform: bad transform 'rotate=1,2'"), r::toString);
        r = vsa(token, "upload", file.toString(), "--from-frame", "RUB");
        assertEquals(ExitCodes.USAGE, r.exit(), r::toString);
        r = vsa(token, "scenes", "--json");
        assertEquals(0, JSON.readTree(r.out()).size(), r::toString);
    }

    @Test
    void help_teachesWithExamples() {
        Cli.Result r = Cli.run("upload", "--help");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("--outputs spz,glb --spz-version 3"), r::toString);
        assertTrue(r.out().contains("sort=morton"), r::toString);
        r = Cli.run("scenes", "reprocess", "--help");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("vsa scenes reprocess 3f2a --outputs spz --spz-version 3 --wait"), r::toString);
    }
}
