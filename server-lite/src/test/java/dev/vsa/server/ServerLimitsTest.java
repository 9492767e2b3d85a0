package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.processing.Limits;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static dev.vsa.server.AuthApiTest.assertProblem;
import static dev.vsa.server.TestStack.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 10, part 6 (server): upload limits, long names, Jetty's own errors, and links that ignore Host. */
class ServerLimitsTest {
    private final TestStack stack = TestStack.shared();

    /** One raw HTTP/1.1 exchange: what a client the JDK's HttpClient would not let us be sends. */
    static String raw(int port, String request, int timeoutMillis) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(timeoutMillis);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return readAll(s.getInputStream());
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                b.write(buf, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // what arrived is the answer
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void upload_nameOver255Utf8Bytes_422() throws Exception {
        TestStack.Account a = stack.newAccount("longname");
        String name = "\u20ac".repeat(86) + ".splat"; // 92 characters, 264 UTF-8 bytes
        HttpResponse<String> r = stack.upload(a.bearer(), name, TestStack.splat(4, 1));
        assertEquals(422, r.statusCode(), r.body());
        assertProblem(r, "invalid-upload");
    }

    @Test
    void jettyErrors_problemJson() throws Exception {
        int port = stack.server.port();
        String badUri = raw(port, "GET /scenes/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 10_000);
        String bigHeader = raw(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(64 * 1024)
                + "\r\nConnection: close\r\n\r\n", 10_000);
        String badLine = raw(port, "GARBAGE\r\n\r\n", 10_000);
        for (String answer : new String[] {badUri, bigHeader, badLine}) {
            String head = answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n"))).toLowerCase();
            assertTrue(head.matches("(?s)http/1.1 4\\d\\d .*"), answer);
            assertTrue(head.contains("content-type: application/problem+json"), answer);
            JsonNode p = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertTrue(p.path("type").asText().startsWith("https://vsa.dev/problems/"), answer);
            assertEquals(Integer.parseInt(head.substring(9, 12)), p.path("status").asInt());
        }
        assertTrue(bigHeader.startsWith("HTTP/1.1 431"), bigHeader);
    }

    @Test
    void links_neverFromTheHostHeader() throws Exception {
        TestStack.Account a = stack.newAccount("host");
        String scene = JSON.readTree(stack.upload(a.bearer(), "h.splat", TestStack.splat(8, 2)).body())
                .path("scene_id").asText();
        String answer = raw(stack.server.port(), "GET /scenes/" + scene + " HTTP/1.1\r\nHost: evil.example\r\n"
                + "Authorization: " + a.bearer() + "\r\nConnection: close\r\n\r\n", 10_000);
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        assertFalse(answer.contains("evil.example"), answer);
        assertTrue(answer.contains("\"url\":\"" + stack.server.baseUrl() + "/scenes/" + scene + "\""), answer);
    }

    @Test
    void uploads_capped_slowOnesDropped_publicUrlInLinks() throws Exception {
        TestStack s = TestStack.custom("uplimits", Map.of(Limits.UPLOAD_MAX_CONCURRENT, "1",
                Limits.UPLOAD_IDLE_TIMEOUT, "5", Limits.UPLOAD_MIN_RATE, "1024"),
                Map.of(ServerConfig.PUBLIC_URL, "https://vsa.example.org/"));
        TestStack.Account a = s.newAccount("cap");
        try (Socket slow = heldUpload(s, a, "slow.splat")) {
            slow.setSoTimeout(60_000);
            // It holds the only upload slot: another upload is refused at once.
            HttpResponse<String> busy = s.upload(a.bearer(), "b.splat", TestStack.splat(4, 3));
            assertEquals(503, busy.statusCode(), busy.body());
            assertProblem(busy, "too-many-uploads");
            assertTrue(busy.headers().firstValue("Retry-After").isPresent());
            // The slow upload is dropped by the watcher (5 s without a byte), not kept for ever.
            String answer = readAll(slow.getInputStream());
            assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 408"), answer);
        }
        assertTrue(s.server.awaitIdle(java.time.Duration.ofSeconds(30)));
        HttpResponse<String> ok = s.upload(a.bearer(), "ok.splat", TestStack.splat(4, 4));
        assertEquals(201, ok.statusCode(), "the slot is free again: " + ok.body());
        JsonNode u = JSON.readTree(ok.body());
        assertEquals("https://vsa.example.org/scenes/" + u.path("scene_id").asText(), u.path("status_url").asText());
        assertEquals("https://vsa.example.org/jobs/" + u.path("job_id").asText(), u.path("job_url").asText());
        assertEquals(0, spools(s.processing.scenes().stagingDirectory()), "nothing of the dropped upload is left");
    }

    @Test
    void uploads_pastTheAccountsOwnLimit_429_otherAccountsStillUpload() throws Exception {
        TestStack s = TestStack.custom("userlimits", Map.of(Limits.UPLOAD_MAX_CONCURRENT_PER_USER, "1",
                Limits.UPLOAD_MAX_CONCURRENT, "4"), Map.of());
        TestStack.Account a = s.newAccount("burst");
        TestStack.Account b = s.newAccount("other");
        try (Socket held = heldUpload(s, a, "held.splat")) {
            HttpResponse<String> refused = s.upload(a.bearer(), "a2.splat", TestStack.splat(4, 5));
            assertEquals(429, refused.statusCode(), refused.body());
            assertProblem(refused, "too-many-uploads");
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
            HttpResponse<String> other = s.upload(b.bearer(), "b.splat", TestStack.splat(4, 6));
            assertEquals(201, other.statusCode(), "another account is not held back: " + other.body());
        }
    }

    /**
     * A slow client's upload: headers and the first 64 KiB of a 1 MiB part, then nothing; returned once the server
     * receives it (its spool exists), so it holds an upload slot until the socket closes or the watcher drops it.
     */
    private static Socket heldUpload(TestStack s, TestStack.Account a, String filename) throws Exception {
        String boundary = "held";
        String start = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
        Socket socket = new Socket("127.0.0.1", s.server.port());
        try {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload/ HTTP/1.1\r\nHost: x\r\nAuthorization: " + a.bearer() + "\r\nContent-Type: "
                    + "multipart/form-data; boundary=" + boundary + "\r\nContent-Length: " + (start.length() + (1 << 20))
                    + "\r\n\r\n" + start).getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[64 * 1024]);
            out.flush();
            Path staging = s.processing.scenes().stagingDirectory();
            for (int i = 0; i < 300 && spools(staging) == 0; i++) {
                Thread.sleep(100);
            }
            assertEquals(1, spools(staging), filename + " is being received");
            return socket;
        } catch (Exception | Error e) {
            socket.close();
            throw e;
        }
    }

    private static long spools(Path staging) throws IOException {
        try (Stream<Path> left = Files.list(staging)) {
            return left.filter(p -> p.getFileName().toString().startsWith("request-")).count();
        }
    }
}
