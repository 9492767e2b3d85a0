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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vsa upload --direct} in-process against real servers: the S3 stack (S3Proxy), where the bytes go to the
 * bucket and not through the API, and the local-storage stack, which has no direct uploads. (The API's own test,
 * DirectUploadApiTest, covers files of several parts; this stack's upload limit is below S3's smallest part.)
 */
class DirectUploadCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Cli.Result vsa(TestStack stack, Path creds, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--server");
        a.add(stack.server.baseUrl());
        a.add("--credentials-file");
        a.add(creds.toString());
        return Cli.run(a.toArray(String[]::new));
    }

    private static void login(TestStack stack, Path creds) {
        String user = TestStack.newName("dcli");
        Cli.Result r = vsa(stack, creds, "signup", "-u", user, "-e", user + "@example.com", "--password", "correct horse battery");
        assertEquals(0, r.exit(), r::toString);
        r = vsa(stack, creds, "login", "-u", user, "--password", "correct horse battery");
        assertEquals(0, r.exit(), r::toString);
    }

    @Test
    void uploadDirect_onS3_readyScene_bytesNotThroughTheApi(@TempDir Path dir) throws Exception {
        TestStack stack = TestStack.shared();
        Path creds = dir.resolve("credentials");
        login(stack, creds);
        byte[] splat = TestStack.splat(3000, 21);
        Path file = dir.resolve("direct.splat");
        Files.write(file, splat);
        double before = uploadCount(stack);
        Cli.Result r = vsa(stack, creds, "upload", file.toString(), "--direct", "--outputs", "spz,ply", "--wait", "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode up = JSON.readTree(r.out());
        assertEquals("ready", up.path("status").asText(), r::toString);
        assertEquals("[\"spz\",\"ply\"]", up.path("processing_options").path("outputs").toString(), r::toString);
        assertEquals(splat.length, up.path("size").asLong());
        assertEquals(before, uploadCount(stack), "the API's upload meter counted no body");
        Path out = dir.resolve("out");
        r = vsa(stack, creds, "scenes", "download", up.path("scene_id").asText(), "--all", "--output", out + "/");
        assertEquals(0, r.exit(), r::toString);
        assertArrayEquals(splat, Files.readAllBytes(out.resolve("direct.splat")));
    }

    @Test
    void uploadDirect_onLocalStorage_saysToUploadWithoutDirect(@TempDir Path dir) throws Exception {
        TestStack stack = TestStack.local();
        Path creds = dir.resolve("credentials");
        login(stack, creds);
        Path file = dir.resolve("a.splat");
        Files.write(file, TestStack.splat(10, 22));
        Cli.Result r = vsa(stack, creds, "upload", file.toString(), "--direct");
        // 409: a feature this server lacks is the server's state, 3 as for a 404, not 1 (the file is fine)
        assertEquals(ExitCodes.IO, r.exit(), r::toString);
        assertTrue(r.err().contains("without --direct"), r::toString);
        assertTrue(r.err().contains("HTTP 409 direct-upload-unavailable"), r::toString);
    }

    private static double uploadCount(TestStack stack) throws Exception {
        String m = stack.get("/metrics", null).body();
        Matcher x = Pattern.compile("(?m)^vsa_upload_bytes_count(\\{[^}]*\\})? (\\S+)$").matcher(m);
        return x.find() ? Double.parseDouble(x.group(2)) : 0;
    }
}
