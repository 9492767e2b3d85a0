package dev.vsa.server;

import dev.vsa.processing.Limits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static dev.vsa.server.AuthApiTest.assertProblem;
import static dev.vsa.server.TestStack.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-account limits over HTTP: 422 past the scene count, 413 past the storage quota, before the body is read. */
class QuotaApiTest {
    static OwnServer own;

    @BeforeAll
    static void start() throws Exception {
        own = new OwnServer(Map.of(Limits.USER_MAX_SCENES, "2", Limits.USER_MAX_BYTES, "100000"), s -> s);
    }

    @AfterAll
    static void stop() {
        own.close();
    }

    private long originals() throws Exception {
        return own.processing.store().list("scenes/").stream().filter(k -> k.contains("/original/")).count();
    }

    @Test
    void upload_pastSceneLimit_422SceneLimitReached_nothingStored() throws Exception {
        String bearer = own.account();
        assertEquals(201, own.upload(bearer, "a.splat", TestStack.splat(10, 1)).statusCode());
        assertEquals(201, own.upload(bearer, "b.splat", TestStack.splat(10, 2)).statusCode());
        long before = originals();
        HttpResponse<String> r = own.upload(bearer, "c.splat", TestStack.splat(10, 3));
        assertEquals(422, r.statusCode(), r.body());
        assertProblem(r, "scene-limit-reached");
        assertTrue(JSON.readTree(r.body()).path("detail").asText().contains("quota.user-scenes"), r.body());
        assertEquals(before, originals());
        assertEquals(2, JSON.readTree(own.get("/scenes", bearer).body()).path("items").size());
    }

    @Test
    void upload_pastStorageQuota_413QuotaExceeded_nothingStored() throws Exception {
        String bearer = own.account();
        assertEquals(201, own.upload(bearer, "a.splat", TestStack.splat(2000, 4)).statusCode()); // 64,000 bytes
        long before = originals();
        HttpResponse<String> r = own.upload(bearer, "b.splat", TestStack.splat(2000, 5));
        assertEquals(413, r.statusCode(), r.body());
        assertProblem(r, "storage-quota-exceeded");
        assertTrue(JSON.readTree(r.body()).path("detail").asText().contains("quota.user-bytes"), r.body());
        assertEquals(before, originals());
    }

    @Test
    void upload_declaredLengthPastQuota_413BeforeTheBodyIsRead() throws Exception {
        String bearer = own.account();
        // Declares 10 MB and sends none of it: the answer must come anyway, from the declared length alone.
        try (Socket s = new Socket("127.0.0.1", own.server.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /upload/ HTTP/1.1\r\nHost: x\r\nAuthorization: " + bearer
                    + "\r\nContent-Type: multipart/form-data; boundary=q\r\nContent-Length: 10000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 413", head);
        }
    }
}
