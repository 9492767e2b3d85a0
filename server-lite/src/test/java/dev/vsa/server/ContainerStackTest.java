package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.processing.ProcessingConfig;
import dev.vsa.processing.TestContainers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static dev.vsa.server.TestStack.JSON;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API end to end on what a deployment runs: a PostgreSQL container and an S3 container (Testcontainers, see
 * {@link TestContainers} for the images and how to name local ones). Skipped with the reason when no Docker
 * engine has the images; {@link CurlFlowTest} and the rest cover the same routes on embedded PostgreSQL and
 * S3Proxy.
 */
class ContainerStackTest {
    static TestStack stack;

    @BeforeAll
    static void start() throws Exception {
        TestContainers.assumeEngine();
        String admin = TestContainers.postgresUrl();
        String db = "vsa_api_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        Map<String, String> m = new HashMap<>();
        m.put(ProcessingConfig.DATABASE_URL, admin.replaceFirst("/postgres\\?", "/" + db + "?"));
        m.put(ProcessingConfig.STORAGE_TYPE, "s3");
        m.put(ProcessingConfig.S3_BUCKET, "vsa-api-" + UUID.randomUUID().toString().substring(0, 8));
        m.put(ProcessingConfig.S3_ENDPOINT, TestContainers.s3Endpoint().toString());
        m.put(ProcessingConfig.S3_ACCESS_KEY, TestContainers.ACCESS_KEY);
        m.put(ProcessingConfig.S3_SECRET_KEY, TestContainers.SECRET_KEY);
        stack = TestStack.with(m);
    }

    @Test
    void readyz_onContainers_databaseAndStorageOk() throws Exception {
        HttpResponse<String> r = stack.get("/readyz", null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode j = JSON.readTree(r.body());
        assertEquals("ok", j.path("database").asText());
        assertEquals("ok", j.path("storage").asText());
    }

    @Test
    void uploadSplatAndGlb_onContainers_readyAndDownloadsMatch() throws Exception {
        TestStack.Account a = stack.newAccount("tc");
        byte[] splat = TestStack.splat(256, 11);
        byte[] glb = TestStack.resource("Box.glb");
        for (Object[] f : new Object[][] {{"c.splat", splat}, {"Box.glb", glb}}) {
            HttpResponse<String> up = stack.upload(a.bearer(), f[0], f[1]);
            assertEquals(201, up.statusCode(), up.body());
            JsonNode u = JSON.readTree(up.body());
            JsonNode scene = stack.awaitScene(a.bearer(), u.path("scene_id").asText(), u.path("job_id").asText());
            assertEquals("ready", scene.path("status").asText(), scene.toString());
            String original = null;
            for (JsonNode file : scene.path("files")) {
                if (file.path("kind").asText().equals("original")) {
                    original = file.path("url").asText();
                }
            }
            assertTrue(original != null, scene.toString());
            assertArrayEquals((byte[]) f[1], download(original, a.bearer()), "original of " + f[0]);
            if (f[0].equals("c.splat")) {
                assertTrue(scene.toString().contains("scene.spz"), "outputs in the bucket: " + scene);
            }
        }
    }

    /** GET the file URL; with S3 the API answers a redirect to a presigned URL on the container, followed here. */
    private static byte[] download(String url, String bearer) throws Exception {
        HttpResponse<byte[]> r = stack.http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", bearer).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() / 100 == 3) {
            String to = r.headers().firstValue("Location").orElseThrow();
            r = stack.http.send(HttpRequest.newBuilder(URI.create(to)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        assertEquals(200, r.statusCode(), url);
        return r.body();
    }
}
