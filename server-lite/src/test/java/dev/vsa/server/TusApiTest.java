package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.processing.Processing;
import dev.vsa.processing.ProcessingConfig;
import dev.vsa.processing.storage.LocalObjectStore;
import dev.vsa.processing.storage.ObjectStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.vsa.server.AuthApiTest.assertProblem;
import static dev.vsa.server.TestStack.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resumable uploads (tus 1.0) over real HTTP on a server of the test's own (own database, local store, no worker:
 * the scenes stay {@code uploaded}), which a test can restart on the same database and store.
 */
class TusApiTest {
    /** Large enough for a file of a few tens of MB. */
    static final long MAX = 64L << 20;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static String dbUrl;
    static Path dir;
    static Node node;
    /** A valid .splat of 24 MB, and its SHA-256. */
    static byte[] big;
    static String bigSha;

    /** Processing (no worker) and the API over the test's database and store directory. */
    static final class Node implements AutoCloseable {
        final Processing processing;
        final VsaServer server;

        Node() {
            Map<String, String> p = new HashMap<>();
            p.put(ProcessingConfig.HOME, dir.resolve("home").toString());
            p.put(ProcessingConfig.DATABASE_URL, dbUrl);
            p.put(ProcessingConfig.UPLOAD_MAX_BYTES, Long.toString(MAX));
            p.put(ProcessingConfig.JOBS_POLL, "200");
            p.put(dev.vsa.processing.Limits.SIGNUP_MAX_PER_ADDRESS, "100000");
            processing = Processing.start(ProcessingConfig.load(p, Map.of(), null),
                    newStore());
            server = VsaServer.start(TestStack.shared().config, processing);
        }

        private static ObjectStore newStore() {
            try {
                return new LocalObjectStore(dir.resolve("objects"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        String url(String path) {
            return server.baseUrl() + path;
        }

        @Override
        public void close() {
            server.close();
            processing.close();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        TestStack base = TestStack.shared();
        String admin = base.processing.databaseUrl();
        String name = "vsa_tus_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        dbUrl = admin.replaceFirst("/postgres(\\?|$)", "/" + name + "$1");
        dir = Files.createTempDirectory(base.dir, "tus-");
        node = new Node();
        big = TestStack.splat(750_000, 42);
        bigSha = sha256(big);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    // ---- the proofs the issue asks for ----

    @Test
    void patch_cutAt60Percent_resumesFromTheServersOffset_storedObjectHasTheFilesSha256() throws Exception {
        String bearer = account();
        String url = create(bearer, big.length, "big.splat", null);
        int cut = big.length * 6 / 10;
        cutPatch(url, bearer, 0, big.length, big, 0, cut);
        long offset = awaitOffset(url, bearer, cut);
        assertEquals(cut, offset, "every byte that arrived before the cut is kept");
        assertTrue(scenes(bearer).isEmpty(), "a part of a file is no scene");

        HttpResponse<String> done = patch(url, bearer, offset, Arrays.copyOfRange(big, (int) offset, big.length), null);
        assertEquals(204, done.statusCode(), done.body());
        assertEquals(Long.toString(big.length), done.headers().firstValue("Upload-Offset").orElseThrow());
        String sceneId = done.headers().firstValue("Vsa-Scene-Id").orElseThrow();
        assertNotNull(done.headers().firstValue("Vsa-Job-Id").orElse(null));
        assertEquals(node.server.baseUrl() + "/scenes/" + sceneId, done.headers().firstValue("Location").orElseThrow());
        assertEquals(bigSha, done.headers().firstValue("Vsa-Sha256").orElseThrow());
        assertEquals(bigSha, storedOriginalSha(sceneId));
        JsonNode scene = JSON.readTree(get("/scenes/" + sceneId, bearer).body());
        assertEquals("big.splat", scene.path("filename").asText());
        assertEquals(big.length, scene.path("size").asLong());
        assertTrue(node.processing.store().list("tus/").stream().noneMatch(k -> k.contains(id(url))),
                "the pieces are deleted once the scene holds the file");

        // A client that lost that answer asks again and learns the same scene.
        HttpResponse<String> h = head(url, bearer);
        assertEquals(200, h.statusCode());
        assertEquals(sceneId, h.headers().firstValue("Vsa-Scene-Id").orElseThrow());
        assertEquals(1, scenes(bearer).size());
    }

    @Test
    void patch_interruptedAndNeverFinished_noScene_expiredUploadSweptWithItsPieces() throws Exception {
        String bearer = account();
        String url = create(bearer, big.length, "never.splat", null);
        cutPatch(url, bearer, 0, big.length, big, 0, big.length / 3);
        awaitOffset(url, bearer, big.length / 3);
        assertFalse(node.processing.store().list("tus/" + id(url) + "/").isEmpty());
        assertTrue(scenes(bearer).isEmpty());

        int swept = node.processing.resumableUploads().sweepExpired(Instant.now().plus(Duration.ofHours(25)));
        assertTrue(swept >= 1);
        assertEquals(404, head(url, bearer).statusCode());
        assertTrue(node.processing.store().list("tus/" + id(url) + "/").isEmpty(), "the pieces are deleted");
        assertTrue(scenes(bearer).isEmpty());
        assertTrue(node.processing.store().list("scenes/").stream().noneMatch(k -> k.contains("never")));
    }

    @Test
    void patch_wrongOffset_409WithTheUploadsOffset_nothingStored() throws Exception {
        String bearer = account();
        byte[] small = TestStack.splat(1000, 7);
        String url = create(bearer, small.length, "s.splat", null);
        assertEquals(204, patch(url, bearer, 0, Arrays.copyOf(small, 3200), null).statusCode());
        HttpResponse<String> r = patch(url, bearer, 100, Arrays.copyOfRange(small, 100, 200), null);
        assertEquals(409, r.statusCode(), r.body());
        assertProblem(r, "offset-mismatch");
        assertEquals("3200", r.headers().firstValue("Upload-Offset").orElseThrow());
        assertEquals("3200", head(url, bearer).headers().firstValue("Upload-Offset").orElseThrow());
    }

    @Test
    void upload_ofAnotherUser_404ForHeadPatchAndDelete() throws Exception {
        String owner = account();
        String other = account();
        byte[] small = TestStack.splat(100, 8);
        String url = create(owner, small.length, "mine.splat", null);
        assertEquals(404, head(url, other).statusCode());
        HttpResponse<String> p = patch(url, other, 0, small, null);
        assertEquals(404, p.statusCode(), p.body());
        assertProblem(p, "not-found");
        assertEquals(404, send(HttpRequest.newBuilder(URI.create(url)).DELETE(), other).statusCode());
        assertEquals("0", head(url, owner).headers().firstValue("Upload-Offset").orElseThrow(), "untouched");
        assertTrue(scenes(other).isEmpty());
    }

    @Test
    void create_declaredLengthOverTheLimit_413BeforeAnyByte() throws Exception {
        String bearer = account();
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(node.url(TusApi.PATH)))
                .header("Upload-Length", Long.toString(MAX + 1)).POST(HttpRequest.BodyPublishers.noBody()), bearer);
        assertEquals(413, r.statusCode(), r.body());
        assertProblem(r, "payload-too-large");
        assertTrue(JSON.readTree(r.body()).path("detail").asText().contains(Long.toString(MAX)), r.body());
        assertEquals("1.0.0", r.headers().firstValue("Tus-Resumable").orElseThrow());
    }

    @Test
    void restartOfTheApi_betweenPieces_theUploadGoesOn() throws Exception {
        String bearer = account();
        String url = create(bearer, big.length, "restart.splat", "restart-" + UUID.randomUUID());
        int first = big.length / 2 + 12345;
        assertEquals(204, patch(url, bearer, 0, Arrays.copyOf(big, first), null).statusCode());
        String path = URI.create(url).getPath();

        node.close();
        node = new Node(); // another process as far as the upload can tell: state from PostgreSQL, bytes from the store
        String again = node.url(path);

        HttpResponse<String> h = head(again, bearer);
        assertEquals(200, h.statusCode(), h.body());
        assertEquals(Integer.toString(first), h.headers().firstValue("Upload-Offset").orElseThrow());
        assertEquals(Integer.toString(big.length), h.headers().firstValue("Upload-Length").orElseThrow());
        HttpResponse<String> done = patch(again, bearer, first, Arrays.copyOfRange(big, first, big.length), null);
        assertEquals(204, done.statusCode(), done.body());
        assertEquals(bigSha, storedOriginalSha(done.headers().firstValue("Vsa-Scene-Id").orElseThrow()));
    }

    // ---- the rest of the protocol ----

    @Test
    void options_namesVersionExtensionsAndMaxSize_withoutAuthentication() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.url(TusApi.PATH)))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, r.statusCode());
        assertEquals("1.0.0", r.headers().firstValue("Tus-Version").orElseThrow());
        assertEquals(Long.toString(MAX), r.headers().firstValue("Tus-Max-Size").orElseThrow());
        assertTrue(r.headers().firstValue("Tus-Extension").orElseThrow().contains("creation"));
        assertTrue(r.headers().firstValue("Tus-Checksum-Algorithm").orElseThrow().contains("sha256"));
    }

    @Test
    void request_withoutTusResumable_412() throws Exception {
        String bearer = account();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.url(TusApi.PATH)))
                .header("Authorization", bearer).header("Upload-Length", "10")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(412, r.statusCode(), r.body());
        assertEquals("1.0.0", r.headers().firstValue("Tus-Version").orElseThrow());
    }

    @Test
    void patch_checksumMismatch_460_pieceNotStored_rightChecksumAccepted() throws Exception {
        String bearer = account();
        byte[] small = TestStack.splat(100, 9);
        String url = create(bearer, small.length, "c.splat", null);
        HttpResponse<String> bad = patch(url, bearer, 0, small, "sha256 " + Base64.getEncoder().encodeToString(new byte[32]));
        assertEquals(460, bad.statusCode(), bad.body());
        assertProblem(bad, "checksum-mismatch");
        assertEquals("0", head(url, bearer).headers().firstValue("Upload-Offset").orElseThrow());
        String sum = "sha1 " + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(small));
        HttpResponse<String> ok = patch(url, bearer, 0, small, sum);
        assertEquals(204, ok.statusCode(), ok.body());
        assertTrue(ok.headers().firstValue("Vsa-Scene-Id").isPresent());
    }

    @Test
    void create_sameIdempotencyKey_sameUpload_andTheSceneCarriesTheKey() throws Exception {
        String bearer = account();
        byte[] small = TestStack.splat(50, 10);
        String key = "k-" + UUID.randomUUID();
        String a = create(bearer, small.length, "i.splat", key);
        assertEquals(a, create(bearer, small.length, "i.splat", key));
        HttpResponse<String> done = patch(a, bearer, 0, small, null);
        String sceneId = done.headers().firstValue("Vsa-Scene-Id").orElseThrow();
        // The one-request upload with the same key is the same logical upload: it finds that scene.
        HttpResponse<String> multipart = HTTP.send(HttpRequest.newBuilder(URI.create(node.url("/upload/")))
                .header("Authorization", bearer).header("Idempotency-Key", key)
                .header("Content-Type", "multipart/form-data; boundary=q")
                .POST(HttpRequest.BodyPublishers.ofByteArray(SceneApiTest.multipart("q", "i.splat", small))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(sceneId, JSON.readTree(multipart.body()).path("scene_id").asText(), multipart.body());
    }

    @Test
    void create_withProcessingOptions_theSceneCarriesThem_badOnesRefusedBeforeAnyByte() throws Exception {
        String bearer = account();
        byte[] small = TestStack.splat(100, 13);
        String url = create(bearer, small.length, "o.splat", null, "{\"outputs\":[\"spz\"]}");
        String sceneId = patch(url, bearer, 0, small, null).headers().firstValue("Vsa-Scene-Id").orElseThrow();
        JsonNode scene = JSON.readTree(get("/scenes/" + sceneId, bearer).body());
        assertEquals("[\"spz\"]", scene.path("processing_options").path("outputs").toString(), scene.toString());

        HttpResponse<String> bad = send(HttpRequest.newBuilder(URI.create(node.url(TusApi.PATH)))
                .header("Upload-Length", "3200").header("Upload-Metadata", "filename " + b64("b.splat")
                        + ",options " + b64("{\"outputs\":[\"nope\"]}"))
                .POST(HttpRequest.BodyPublishers.noBody()), bearer);
        assertEquals(422, bad.statusCode(), bad.body());
        assertProblem(bad, "invalid-field");
    }

    @Test
    void patch_pastTheDeclaredLength_413_nothingStored() throws Exception {
        String bearer = account();
        byte[] small = TestStack.splat(10, 11);
        String url = create(bearer, small.length - 32, "p.splat", null);
        HttpResponse<String> r = patch(url, bearer, 0, small, null);
        assertEquals(413, r.statusCode(), r.body());
        assertEquals("0", head(url, bearer).headers().firstValue("Upload-Offset").orElseThrow());
    }

    @Test
    void delete_endsTheUpload_andItsPieces() throws Exception {
        String bearer = account();
        byte[] small = TestStack.splat(100, 12);
        String url = create(bearer, small.length, "d.splat", null);
        assertEquals(204, patch(url, bearer, 0, Arrays.copyOf(small, 320), null).statusCode());
        assertEquals(204, send(HttpRequest.newBuilder(URI.create(url)).DELETE(), bearer).statusCode());
        assertEquals(404, head(url, bearer).statusCode());
        assertTrue(node.processing.store().list("tus/" + id(url) + "/").isEmpty());
    }

    @Test
    void finishedFile_notAScene_rejectedAndDeleted() throws Exception {
        String bearer = account();
        byte[] junk = "this is not a scene at all".getBytes(StandardCharsets.US_ASCII);
        String url = create(bearer, junk.length, "junk.ply", null);
        HttpResponse<String> r = patch(url, bearer, 0, junk, null);
        assertEquals(415, r.statusCode(), r.body());
        assertEquals(404, head(url, bearer).statusCode());
        assertTrue(scenes(bearer).isEmpty());
    }

    // ---- helpers ----

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static String id(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** SHA-256 of the scene's stored original, read back from the store as a stream. */
    static String storedOriginalSha(String sceneId) throws Exception {
        List<String> keys = node.processing.store().list("scenes/" + sceneId + "/original/");
        assertEquals(1, keys.size(), keys.toString());
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = node.processing.store().get(keys.get(0))) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String account() throws Exception {
        String name = TestStack.newName("tus");
        String pw = "correct horse " + name;
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.url("/auth/signup")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(
                        JSON.writeValueAsBytes(Map.of("username", name, "password", pw, "email", name + "@example.com"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        HttpResponse<String> l = HTTP.send(HttpRequest.newBuilder(URI.create(node.url("/auth/login")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(
                        JSON.writeValueAsBytes(Map.of("username", name, "password", pw))))
                .build(), HttpResponse.BodyHandlers.ofString());
        return "Bearer " + JSON.readTree(l.body()).path("access_token").asText();
    }

    static HttpResponse<String> send(HttpRequest.Builder b, String bearer) throws Exception {
        return HTTP.send(b.header("Authorization", bearer).header("Tus-Resumable", "1.0.0").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** POST: a new upload; returns its URL. */
    static String create(String bearer, long length, String filename, String key) throws Exception {
        return create(bearer, length, filename, key, null);
    }

    /** POST with processing options (JSON, or null); returns the upload's URL. */
    static String create(String bearer, long length, String filename, String key, String options) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url(TusApi.PATH)))
                .header("Upload-Length", Long.toString(length))
                .header("Upload-Metadata", "filename " + b64(filename) + (options == null ? "" : ",options " + b64(options)))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        HttpResponse<String> r = send(b, bearer);
        assertEquals(201, r.statusCode(), r.body());
        return r.headers().firstValue("Location").orElseThrow();
    }

    static HttpResponse<String> head(String url, String bearer) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).method("HEAD", HttpRequest.BodyPublishers.noBody()), bearer);
    }

    static HttpResponse<String> patch(String url, String bearer, long offset, byte[] body, String checksum)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", Long.toString(offset))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body));
        if (checksum != null) {
            b.header("Upload-Checksum", checksum);
        }
        return send(b, bearer);
    }

    /**
     * A PATCH that declares {@code declared} bytes, sends {@code n} of them from {@code from}, and closes the
     * connection: what a client whose network drops does.
     */
    static void cutPatch(String url, String bearer, long offset, long declared, byte[] data, int from, int n)
            throws Exception {
        URI u = URI.create(url);
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("PATCH " + u.getPath() + " HTTP/1.1\r\nHost: " + u.getHost() + "\r\nAuthorization: " + bearer
                    + "\r\nTus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\nUpload-Offset: "
                    + offset + "\r\nContent-Length: " + (declared - offset) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(data, from, n);
            out.flush();
        }
    }

    /** Asks for the offset until it is {@code expected} (the server handles the cut on its own time). */
    static long awaitOffset(String url, String bearer, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long offset;
        do {
            HttpResponse<String> h = head(url, bearer);
            assertEquals(200, h.statusCode(), h.body());
            offset = Long.parseLong(h.headers().firstValue("Upload-Offset").orElseThrow());
            if (offset == expected) {
                return offset;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return offset;
    }

    static HttpResponse<String> get(String path, String bearer) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(node.url(path))).header("Authorization", bearer).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static List<JsonNode> scenes(String bearer) throws Exception {
        JsonNode items = JSON.readTree(get("/scenes", bearer).body()).path("items");
        List<JsonNode> out = new java.util.ArrayList<>();
        items.forEach(out::add);
        return out;
    }
}
