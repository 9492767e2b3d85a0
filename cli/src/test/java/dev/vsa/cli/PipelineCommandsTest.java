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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** vsa tokens and vsa webhooks against a real server, and a pipeline authenticating with a token file. */
class PipelineCommandsTest {
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

    private Path loggedIn(Path dir) throws Exception {
        Path creds = dir.resolve("credentials");
        TestStack.Account a = stack.newAccount("pipe");
        Cli.Result r = vsa(creds, "login", "-u", a.username(), "--password", a.password());
        assertEquals(0, r.exit(), r::toString);
        return creds;
    }

    @Test
    void tokens_createUseWithTokenFileRevoke(@TempDir Path dir) throws Exception {
        Path creds = loggedIn(dir);
        Cli.Result r = vsa(creds, "tokens", "create", "ci", "--scope", "scenes:read", "--expires-in-days", "7");
        assertEquals(0, r.exit(), r::toString);
        String token = r.out().strip();
        assertTrue(token.startsWith("vsa_pat_"), r::toString);
        assertTrue(r.err().contains("shown this once"), r::toString);
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, token + "\n");
        Path none = dir.resolve("no-session");

        r = vsa(none, "scenes", "--json", "--token-file", tokenFile.toString());
        assertEquals(0, r.exit(), r::toString);
        Path file = dir.resolve("s.splat");
        Files.write(file, TestStack.splat(10, 5));
        r = vsa(none, "upload", file.toString(), "--token-file", tokenFile.toString());
        assertEquals(ExitCodes.IO, r.exit(), r::toString);
        assertTrue(r.err().contains("scenes:write") && r.err().contains("403"), r::toString);

        r = vsa(creds, "tokens", "--json");
        JsonNode listed = JSON.readTree(r.out());
        assertEquals(1, listed.size(), r::toString);
        String id = listed.get(0).path("id").asText();
        r = vsa(creds, "tokens");
        assertTrue(r.out().contains("ci") && r.out().contains("active"), r::toString);
        r = vsa(creds, "tokens", "revoke", id);
        assertEquals(0, r.exit(), r::toString);
        r = vsa(none, "scenes", "--token-file", tokenFile.toString());
        assertEquals(ExitCodes.IO, r.exit(), r::toString);
        assertTrue(r.err().contains("invalid, expired or revoked"), r::toString);
    }

    @Test
    void scenes_idPrefixesConvertAndJobsList(@TempDir Path dir) throws Exception {
        Path creds = loggedIn(dir);
        Path file = dir.resolve("p.splat");
        Files.write(file, TestStack.splat(30, 21));
        Cli.Result r = vsa(creds, "upload", file.toString(), "--wait", "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode up = JSON.readTree(r.out());
        String id = up.path("scene_id").asText();
        assertEquals(36, id.length(), "upload --json names the id as the API does: " + r.out());
        assertEquals(36, up.path("job_id").asText().length(), r::toString);
        String prefix = id.substring(0, 8);

        r = vsa(creds, "scenes", "show", prefix, "--json");
        assertEquals(id, JSON.readTree(r.out()).path("id").asText(), r::toString);
        r = vsa(creds, "scenes", "convert", prefix, "--to", "ply", "--wait", "--json");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("succeeded", JSON.readTree(r.out()).path("state").asText(), r::toString);
        r = vsa(creds, "jobs", "list", "--scene", prefix, "--json");
        JsonNode jobs = JSON.readTree(r.out());
        assertEquals(2, jobs.size(), r::toString);
        assertEquals("convert", jobs.get(0).path("kind").asText());
        assertEquals("process", jobs.get(1).path("kind").asText());
        r = vsa(creds, "jobs", "list");
        assertTrue(r.out().contains("convert") && r.out().contains("succeeded"), r::toString);
        // alone, as 'vsa scenes', 'vsa tokens' and 'vsa webhooks' do: the list (it printed its usage, exit 2)
        r = vsa(creds, "jobs", "--scene", prefix, "--json");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(jobs, JSON.readTree(r.out()), r::toString);
        r = vsa(creds, "scenes", "show", "ffffffff");
        assertEquals(ExitCodes.IO, r.exit(), r::toString);
        assertTrue(r.err().contains("no scene id starts with"), r::toString);
        r = vsa(creds, "scenes", "show", "ab");
        assertEquals(ExitCodes.USAGE, r.exit(), r::toString);
    }

    @Test
    void webhooks_addListTestDeliveriesRotateRm(@TempDir Path dir) throws Exception {
        Path creds = loggedIn(dir);
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        try {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/h";
            Cli.Result r = vsa(creds, "webhooks", "add", url, "--event", "scene.ready", "--json");
            assertEquals(0, r.exit(), r::toString);
            JsonNode w = JSON.readTree(r.out());
            String id = w.path("id").asText();
            assertTrue(w.path("secret").asText().startsWith("whsec_"), r::toString);
            r = vsa(creds, "webhooks");
            assertTrue(r.out().contains(url) && r.out().contains("scene.ready"), r::toString);
            r = vsa(creds, "webhooks", "test", id);
            assertEquals(0, r.exit(), r::toString);
            long deadline = System.nanoTime() + 30_000_000_000L;
            JsonNode log;
            do {
                Thread.sleep(100);
                log = JSON.readTree(vsa(creds, "webhooks", "deliveries", id, "--json").out());
            } while (!(log.size() == 1 && log.get(0).path("state").asText().equals("delivered")) && System.nanoTime() < deadline);
            assertEquals("delivered", log.get(0).path("state").asText(), log::toString);
            r = vsa(creds, "webhooks", "deliveries", id);
            assertTrue(r.out().contains("webhook.test") && r.out().contains("204"), r::toString);
            r = vsa(creds, "webhooks", "rotate", id);
            assertTrue(r.out().strip().startsWith("whsec_") && !r.out().contains(w.path("secret").asText()), r::toString);
            r = vsa(creds, "webhooks", "rm", id);
            assertEquals(0, r.exit(), r::toString);
            r = vsa(creds, "webhooks", "test", id);
            assertEquals(ExitCodes.IO, r.exit(), r::toString);
            r = vsa(creds, "webhooks", "add", "ftp://nope");
            assertEquals(ExitCodes.USAGE, r.exit(), r::toString);
            assertTrue(r.err().contains("http or https"), r::toString);
            r = vsa(creds, "webhooks", "add", "https://no-such-host.invalid/h", "--event", "scene.bogus");
            assertEquals(ExitCodes.USAGE, r.exit(), r::toString);
            assertTrue(r.err().contains("unknown event type 'scene.bogus'"), r::toString);
        } finally {
            receiver.stop(0);
        }
    }
}
