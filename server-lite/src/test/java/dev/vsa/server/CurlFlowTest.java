package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.vsa.server.TestStack.JSON;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's curl flow, run with the real {@code curl} (the S3 stack, so the download follows a presigned
 * redirect): signup, login, upload, wait for processing, status, download. Without curl on the PATH the same
 * requests go through {@link TestStack}'s HttpClient helpers instead.
 */
class CurlFlowTest {
    private final TestStack stack = TestStack.shared();

    @Test
    void readmeFlow_signupLoginUploadStatusDownload(@TempDir Path dir) throws Exception {
        Path scene = dir.resolve("scene.splat");
        byte[] splat = TestStack.splat(128, 7);
        Files.write(scene, splat);
        String user = TestStack.newName("curl");
        String base = stack.server.baseUrl();
        if (curl() == null) {
            stackFlow(user, scene, splat);
            return;
        }
        JsonNode created = JSON.readTree(curl("-sS", "-X", "POST", base + "/auth/signup", "-H", "Content-Type: application/json",
                "-d", "{\"username\":\"" + user + "\",\"password\":\"correct horse battery\",\"email\":\"" + user + "@example.com\"}",
                "-w", "\n%{http_code}").split("\n")[0]);
        assertEquals(user, created.path("username").asText());
        JsonNode tokens = JSON.readTree(curl("-sS", "-X", "POST", base + "/auth/login", "-H", "Content-Type: application/json",
                "-d", "{\"username\":\"" + user + "\",\"password\":\"correct horse battery\"}"));
        String auth = "Authorization: Bearer " + tokens.path("access_token").asText();
        String[] upload = curl("-sS", "-X", "POST", base + "/upload/", "-H", auth, "-F", "file=@" + scene, "-w", "\n%{http_code}").split("\n");
        assertEquals("201", upload[upload.length - 1], String.join("\n", upload));
        JsonNode up = JSON.readTree(upload[0]);
        assertEquals("splat", up.path("format").asText());
        // Follow the job's events to the end (curl -N prints them as they come).
        String events = curl("-sS", "-N", base + "/jobs/" + up.path("job_id").asText() + "/events", "-H", auth);
        assertTrue(events.contains("event: end"), events);
        JsonNode status = JSON.readTree(curl("-sS", up.path("status_url").asText(), "-H", auth));
        assertEquals("ready", status.path("status").asText(), status.toString());
        String original = null;
        for (JsonNode f : status.path("files")) {
            if (f.path("kind").asText().equals("original")) {
                original = f.path("url").asText();
            }
        }
        Path out = dir.resolve("downloaded.splat");
        curl("-sS", "-fL", "-o", out.toString(), original, "-H", auth);
        assertArrayEquals(splat, Files.readAllBytes(out));
    }

    private void stackFlow(String user, Path scene, byte[] splat) throws Exception {
        TestStack.Account a = stack.newAccount(user);
        JsonNode up = JSON.readTree(stack.upload(a.bearer(), scene.getFileName().toString(), Files.readAllBytes(scene)).body());
        JsonNode status = stack.awaitScene(a.bearer(), up.path("scene_id").asText(), up.path("job_id").asText());
        assertEquals("ready", status.path("status").asText());
        assertTrue(splat.length > 0);
    }

    private static String curl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "curl");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private static String curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(curl());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        if (code != 0) {
            throw new IOException("curl " + String.join(" ", args) + " exited " + code + ": " + out);
        }
        return out;
    }
}
