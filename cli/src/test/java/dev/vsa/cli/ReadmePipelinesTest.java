package dev.vsa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vsa.server.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's processing-options example (the block after {@code <!-- processing-options -->}) run with bash, curl,
 * jq and this build's {@code ./vsa} against a real server (embedded PostgreSQL, S3Proxy, one worker), as written but
 * for the server's address, the session ({@code TOKEN} from a login, {@code VSA_TOKEN} for the CLI's) and
 * {@code SCENE_ID}.
 */
class ReadmePipelinesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestStack stack = TestStack.shared();

    @Test
    void processingOptionsExample_runsAsWritten(@TempDir Path dir) throws Exception {
        for (String tool : List.of("curl", "jq")) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin", tool)) || Files.isExecutable(Path.of("/bin", tool)),
                    tool + " is not installed");
        }
        String readme = Files.readString(Path.of(System.getProperty("vsa.repo.root", "..")).resolve("README.md"));
        Matcher block = Pattern.compile("<!-- processing-options -->\\n```sh\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(), "no <!-- processing-options --> block in README.md");
        TestStack.Account a = stack.newAccount("readme");
        JsonNode pat = JSON.readTree(stack.postJson("/tokens", Map.of("name", "readme",
                "scopes", List.of("scenes:read", "scenes:write")), a.bearer()).body());

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path launcher = dir.resolve("vsa");
        Files.writeString(launcher, "#!/bin/sh\nexec '" + java + "' -XX:TieredStopAtLevel=1 -cp '"
                + System.getProperty("java.class.path") + "' dev.vsa.cli.Main \"$@\"\n");
        assertTrue(launcher.toFile().setExecutable(true));
        String script = "set -eu -o pipefail\n./vsa demo > /dev/null\n" + block.group(1)
                .replace("http://localhost:8000", stack.server.baseUrl()).replace("SCENE_ID", "$SCENE");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("TOKEN", a.access());
        pb.environment().put("VSA_TOKEN", pat.path("token").asText());
        pb.environment().put("VSA_SERVER", stack.server.baseUrl());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), out);
        assertEquals(0, p.exitValue(), out);
        // what the README's reader sees: the options echoed, the first scene's outputs, the re-processing queued
        assertTrue(out.contains("\"sort=morton\""), out);
        assertTrue(out.contains("\"scene.ply\"") && out.contains("\"scene.spz\""), out);
        assertTrue(out.contains("\"status\": \"processing\""), out);
        assertTrue(Pattern.compile("scene [0-9a-f-]{36} ready").matcher(out).find(), out);
        JsonNode scenes = JSON.readTree(stack.get("/scenes", a.bearer()).body()).path("items");
        assertEquals(3, scenes.size(), scenes.toString());
    }
}
