package dev.vsa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vsa.server.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The remote commands in-process against a real server (embedded PostgreSQL, S3Proxy, one worker). */
class RemoteCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestStack stack = TestStack.shared();

    private Cli.Result vsa(Path creds, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--server");
        a.add(stack.server.baseUrl());
        a.add("--credentials-file");
        a.add(creds.toString());
        return Cli.run(a.toArray(String[]::new));
    }

    @Test
    void fullFlow_signupLoginUploadWaitDownloadRmLogout(@TempDir Path dir) throws Exception {
        Path creds = dir.resolve("config/vsa/credentials");
        String user = TestStack.newName("cli");
        Cli.Result r = vsa(creds, "signup", "-u", user, "-e", user + "@example.com", "--password", "correct horse battery");
        assertEquals(0, r.exit(), r::toString);
        r = vsa(creds, "login", "-u", user, "--password", "correct horse battery");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(creds)));
        r = vsa(creds, "whoami", "--json");
        assertEquals(user, JSON.readTree(r.out()).path("username").asText(), r::toString);

        byte[] splat = TestStack.splat(200, 11);
        Path file = dir.resolve("scene.splat");
        Files.write(file, splat);
        r = vsa(creds, "upload", file.toString(), "--wait", "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode up = JSON.readTree(r.out());
        assertEquals("ready", up.path("status").asText(), r::toString);
        String id = up.path("scene_id").asText();

        r = vsa(creds, "scenes", "--json");
        assertEquals(id, JSON.readTree(r.out()).get(0).path("id").asText(), r::toString);
        r = vsa(creds, "scenes", "show", id);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("ready"), r::toString);
        // the bounds as inspect prints a box (4 significant digits), not JSON doubles
        assertTrue(r.out().lines().anyMatch(l -> l.matches("bounds   \\[\\S+, \\S+, \\S+\\] \\.\\. \\[.*")
                && !l.matches(".*\\d\\.\\d{6}.*")), r::toString);
        r = vsa(creds, "jobs", "show", up.path("job_id").asText(), "--json");
        assertEquals("succeeded", JSON.readTree(r.out()).path("state").asText(), r::toString);
        r = vsa(creds, "jobs", "wait", up.path("job_id").asText());
        assertEquals(0, r.exit(), r::toString);

        Path out = dir.resolve("out");
        r = vsa(creds, "scenes", "download", id, "--all", "--output", out + "/");
        assertEquals(0, r.exit(), r::toString);
        assertArrayEquals(splat, Files.readAllBytes(out.resolve("scene.splat")));

        r = vsa(creds, "scenes", "rm", id);
        assertEquals(0, r.exit(), r::toString);
        r = vsa(creds, "scenes", "show", id);
        assertEquals(ExitCodes.IO, r.exit(), r::toString);
        assertTrue(r.err().startsWith("error: "), r::toString);

        r = vsa(creds, "logout");
        assertEquals(0, r.exit(), r::toString);
        r = vsa(creds, "whoami");
        assertEquals(ExitCodes.IO, r.exit(), r::toString);
        assertTrue(r.err().contains("vsa login"), r::toString);
    }

    @Test
    void upload_directory_summaryTableAndExit1ForAnInvalidFile(@TempDir Path dir) throws Exception {
        Path creds = dir.resolve("creds");
        TestStack.Account a = stack.newAccount("clidir");
        assertEquals(0, vsa(creds, "login", "-u", a.username(), "--password", a.password()).exit());
        Path scenes = Files.createDirectories(dir.resolve("scenes"));
        Files.write(scenes.resolve("a.splat"), TestStack.splat(50, 1));
        Files.write(scenes.resolve("b.splat"), TestStack.splat(60, 2));
        Files.writeString(scenes.resolve("broken.ply"), "ply\nthis is no ply\n");
        Files.writeString(scenes.resolve("notes.txt"), "not a scene: skipped");
        Cli.Result r = vsa(creds, "upload", scenes.toString(), "--wait");
        assertEquals(ExitCodes.INVALID, r.exit(), r::toString);
        assertTrue(r.out().contains("a.splat") && r.out().contains("b.splat") && r.out().contains("broken.ply"), r::toString);
        assertFalse(r.out().contains("notes.txt"), r::toString);
        assertEquals(2, r.out().lines().filter(l -> l.contains(" ready")).count(), r::toString);
    }

    @Test
    void expiredAccessToken_refreshedByItself(@TempDir Path dir) throws Exception {
        Path creds = dir.resolve("creds");
        TestStack.Account a = stack.newAccount("cliref");
        assertEquals(0, vsa(creds, "login", "-u", a.username(), "--password", a.password()).exit());
        // Make the kept access token look expired: the client must refresh before using it.
        JsonNode all = JSON.readTree(creds.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) all.path(stack.server.baseUrl())).put("access_expires_at", 0);
        String before = all.path(stack.server.baseUrl()).path("refresh_token").asText();
        Files.write(creds, JSON.writeValueAsBytes(all));
        Cli.Result r = vsa(creds, "whoami");
        assertEquals(0, r.exit(), r::toString);
        String after = JSON.readTree(creds.toFile()).path(stack.server.baseUrl()).path("refresh_token").asText();
        assertFalse(before.equals(after), "rotated");
    }

    @Test
    void login_servesTheOtherLoopbackName(@TempDir Path dir) throws Exception {
        Path creds = dir.resolve("creds");
        TestStack.Account a = stack.newAccount("cliloop");
        assertEquals(0, vsa(creds, "login", "-u", a.username(), "--password", a.password()).exit());
        String base = stack.server.baseUrl();
        String other = base.contains("://localhost:") ? base.replace("://localhost:", "://127.0.0.1:")
                : base.replace("://127.0.0.1:", "://localhost:");
        Cli.Result r = Cli.run("whoami", "--server", other + "/", "--credentials-file", creds.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains(a.username()), r::toString);
    }

    @Test
    void nothingListening_cannotReachNotNotLoggedIn(@TempDir Path dir) throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli.Result r = Cli.run("scenes", "--server", "http://127.0.0.1:" + port, "--credentials-file",
                dir.resolve("none").toString());
        assertEquals(ExitCodes.IO, r.exit(), r::toString);
        assertTrue(r.err().contains("cannot reach http://127.0.0.1:" + port), r::toString);
        // a password the server would refuse is refused before any prompt or request (nothing listens here)
        Cli.Result pw = Cli.run("signup", "-u", "shorty", "-e", "s@example.com", "--password", "short", "--server",
                "http://127.0.0.1:" + port, "--credentials-file", dir.resolve("none").toString());
        assertEquals(ExitCodes.USAGE, pw.exit(), pw::toString);
        assertTrue(pw.err().contains("too short: at least 8 characters"), pw::toString);
    }

    @Test
    void upload_overTheLimit_saysTheLimit(@TempDir Path dir) throws Exception {
        Path creds = dir.resolve("creds");
        TestStack.Account a = stack.newAccount("clibig");
        assertEquals(0, vsa(creds, "login", "-u", a.username(), "--password", a.password()).exit());
        Path big = dir.resolve("big.splat");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.allocate(1), 8 * TestStack.MAX_UPLOAD); // sparse, 8x the limit
        }
        Cli.Result r = vsa(creds, "upload", big.toString());
        assertTrue(r.err().contains("limit of 4.0 MiB"), r::toString);
    }

    @Test
    void notLoggedIn_exit3WithAHint(@TempDir Path dir) {
        Cli.Result r = vsa(dir.resolve("none"), "scenes");
        assertEquals(ExitCodes.IO, r.exit(), r::toString);
        assertTrue(r.err().contains("vsa login"), r::toString);
    }

    @Test
    void serverDown_exit3OneLine(@TempDir Path dir) {
        Cli.Result r = Cli.run("signup", "-u", "nobody", "-e", "n@example.com", "--password", "whatever123",
                "--server", "http://127.0.0.1:1", "--credentials-file", dir.resolve("c").toString());
        assertEquals(ExitCodes.IO, r.exit(), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
    }
}
