package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.processing.DirectUploads;
import dev.vsa.processing.Limits;
import dev.vsa.processing.Processing;
import dev.vsa.processing.ProcessingConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.vsa.server.AuthApiTest.assertProblem;
import static dev.vsa.server.TestStack.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Direct-to-storage uploads over real HTTP: the API hands out presigned part URLs of the test stack's S3Proxy, the
 * test PUTs the parts there itself, then completes through the API. A stack of its own (S3 storage with a 64 MiB
 * upload limit and a 40 MiB quota; the shared one allows 4 MiB, less than one part).
 */
class DirectUploadApiTest {
    static final long PART = 5L << 20; // S3's smallest part: 3 parts in a bit over 10 MiB
    static final long QUOTA = 40L << 20;
    static Processing processing;
    static VsaServer server;
    static TestStack base;
    static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        base = TestStack.shared();
        String admin = base.processing.databaseUrl();
        String db = "vsa_direct_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        }
        Path dir = Files.createTempDirectory(base.dir, "direct-");
        Map<String, String> p = new HashMap<>();
        p.put(ProcessingConfig.HOME, dir.resolve("home").toString());
        p.put(ProcessingConfig.DATABASE_URL, admin.replaceFirst("/postgres(\\?|$)", "/" + db + "$1"));
        p.put(ProcessingConfig.STORAGE_TYPE, "s3");
        p.put(ProcessingConfig.S3_BUCKET, "vsa-direct-" + UUID.randomUUID().toString().substring(0, 8));
        p.put(ProcessingConfig.S3_ENDPOINT, "http://127.0.0.1:" + base.s3.getPort());
        p.put(ProcessingConfig.S3_ACCESS_KEY, TestStack.ACCESS_KEY);
        p.put(ProcessingConfig.S3_SECRET_KEY, TestStack.SECRET_KEY);
        p.put(ProcessingConfig.UPLOAD_MAX_BYTES, Long.toString(64L << 20));
        p.put(Limits.USER_MAX_BYTES, Long.toString(QUOTA));
        p.put(Limits.SIGNUP_MAX_PER_ADDRESS, "100000");
        p.put(ProcessingConfig.JOBS_POLL, "200");
        processing = Processing.start(ProcessingConfig.load(p, Map.of(), null));
        processing.startWorkers(1);
        server = VsaServer.start(base.config, processing);
    }

    @AfterAll
    static void stop() {
        server.close();
        processing.close();
    }

    // ---- the journeys ----

    @Test
    void direct_threeParts_becomesAReadyScene_bytesNeverPassTheApi() throws Exception {
        String bearer = account();
        byte[] file = TestStack.splat(340_000, 7); // 10,880,000 bytes: parts of 5 MiB, 5 MiB, 395,520 bytes
        double[] before = uploadMetric();
        JsonNode up = startUpload(bearer, "room.splat", file, sha256(file), PART);
        assertEquals(201, status(up), up.toString());
        JsonNode parts = up.path("parts");
        assertEquals(3, parts.size(), up.toString());
        for (JsonNode part : parts) {
            URI u = URI.create(part.path("url").asText());
            // the bytes go to the bucket's server, not to this API
            assertEquals(base.s3.getPort(), u.getPort(), u.toString());
            assertNotEquals(server.port(), u.getPort());
        }
        List<String> etags = putParts(parts, file, List.of(1, 2, 3));
        HttpResponse<String> done = complete(bearer, up, etags, List.of(1, 2, 3));
        assertEquals(201, done.statusCode(), done.body());
        JsonNode created = JSON.readTree(done.body());
        assertEquals("splat", created.path("format").asText());
        assertEquals(file.length, created.path("size").asLong());
        JsonNode scene = awaitScene(bearer, created.path("scene_id").asText(), created.path("job_id").asText());
        assertEquals("ready", scene.path("status").asText(), scene.toString());
        assertEquals(sha256(file), scene.path("sha256").asText());
        // The API received no upload body: its upload byte meter is where it was.
        assertEquals(before[0], uploadMetric()[0], "vsa_upload_bytes_count");
        assertEquals(before[1], uploadMetric()[1], "vsa_upload_bytes_sum");
        // Completing again answers the same scene.
        HttpResponse<String> again = complete(bearer, up, etags, List.of(1, 2, 3));
        assertEquals(201, again.statusCode(), again.body());
        assertEquals(created.path("scene_id").asText(), JSON.readTree(again.body()).path("scene_id").asText());
    }

    @Test
    void complete_wrongChecksum_422_noScene_objectGone() throws Exception {
        String bearer = account();
        byte[] file = TestStack.splat(200_000, 8); // 6.4 MB: 2 parts
        byte[] other = file.clone();
        other[100] ^= 1;
        JsonNode up = startUpload(bearer, "wrong.splat", file, sha256(other), PART);
        List<String> etags = putParts(up.path("parts"), file, List.of(1, 2));
        HttpResponse<String> r = complete(bearer, up, etags, List.of(1, 2));
        assertEquals(422, r.statusCode(), r.body());
        assertProblem(r, "direct-upload-checksum-mismatch");
        assertEquals(0, JSON.readTree(get("/scenes", bearer).body()).path("items").size());
        assertTrue(objectsOf(up).isEmpty(), "the object is deleted");
        assertEquals(404, complete(bearer, up, etags, List.of(1, 2)).statusCode(), "the upload is closed");
    }

    @Test
    void complete_partMissing_422_uploadStaysOpen_thenAbortFreesTheParts() throws Exception {
        String bearer = account();
        byte[] file = TestStack.splat(340_000, 9);
        JsonNode up = startUpload(bearer, "partial.splat", file, sha256(file), PART);
        List<String> etags = putParts(up.path("parts"), file, List.of(1, 2));
        HttpResponse<String> r = complete(bearer, up, etags, List.of(1, 2));
        assertEquals(422, r.statusCode(), r.body());
        assertProblem(r, "direct-upload-incomplete");
        assertTrue(JSON.readTree(r.body()).path("detail").asText().contains("[3]"), r.body());
        // naming a part the store never got: the store refuses, still 422 and still open
        List<String> withBogus = new ArrayList<>(etags);
        withBogus.add("\"00000000000000000000000000000000\"");
        r = complete(bearer, up, withBogus, List.of(1, 2, 3));
        assertEquals(422, r.statusCode(), r.body());
        assertProblem(r, "direct-upload-incomplete");
        assertEquals(0, JSON.readTree(get("/scenes", bearer).body()).path("items").size());
        String key = keyOf(up);
        assertEquals(1, openMultipartUploads(key), "still open, to send part 3");

        assertEquals(204, delete("/uploads/direct/" + up.path("upload_id").asText(), bearer).statusCode());
        assertEquals(0, openMultipartUploads(key), "the multipart upload is aborted");
        assertTrue(objectsOf(up).isEmpty());
        assertEquals(404, delete("/uploads/direct/" + up.path("upload_id").asText(), bearer).statusCode());
    }

    @Test
    void expiry_abortsTheMultipartUpload_andForgetsTheSession() throws Exception {
        String bearer = account();
        byte[] file = TestStack.splat(200_000, 10);
        JsonNode up = startUpload(bearer, "late.splat", file, sha256(file), PART);
        List<String> etags = putParts(up.path("parts"), file, List.of(1));
        String id = up.path("upload_id").asText();
        String key = keyOf(up);
        assertEquals(1, openMultipartUploads(key));
        // Expire it now instead of waiting: its expiry job becomes due at once.
        try (Connection c = DriverManager.getConnection(processing.databaseUrl()); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE direct_uploads SET expires_at = now() - interval '1 second' WHERE id = '" + id + "'");
            assertEquals(1, st.executeUpdate("UPDATE jobs SET run_after = now() WHERE kind = '" + DirectUploads.EXPIRE
                    + "' AND payload->>'upload_id' = '" + id + "'"));
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (sessionExists(id)) {
            assertTrue(System.nanoTime() < deadline, "the expiry job did not run within a minute");
            Thread.sleep(50);
        }
        assertEquals(0, openMultipartUploads(key), "the multipart upload is aborted");
        assertEquals(404, complete(bearer, up, etags, List.of(1)).statusCode());
        assertTrue(objectsOf(up).isEmpty());
    }

    @Test
    void otherUser_404_onCompleteAndAbort() throws Exception {
        String owner = account();
        String other = account();
        byte[] file = TestStack.splat(1000, 11);
        JsonNode up = startUpload(owner, "mine.splat", file, sha256(file), null);
        String id = up.path("upload_id").asText();
        List<String> etags = putParts(up.path("parts"), file, List.of(1));
        HttpResponse<String> r = complete(other, up, etags, List.of(1));
        assertEquals(404, r.statusCode(), r.body());
        assertProblem(r, "not-found");
        assertEquals(404, delete("/uploads/direct/" + id, other).statusCode());
        assertEquals(204, delete("/uploads/direct/" + id, owner).statusCode(), "the owner's upload was untouched");
    }

    @Test
    void start_pastQuotaOrLimit_413_beforeAnyUrl() throws Exception {
        String bearer = account();
        HttpResponse<String> r = post("/uploads/direct", Map.of("filename", "big.ply", "size", QUOTA + 1,
                "sha256", "0".repeat(64)), bearer);
        assertEquals(413, r.statusCode(), r.body());
        assertProblem(r, "storage-quota-exceeded");
        r = post("/uploads/direct", Map.of("filename", "huge.ply", "size", (64L << 20) + 1, "sha256", "0".repeat(64)), bearer);
        assertEquals(413, r.statusCode(), r.body());
        assertProblem(r, "payload-too-large");
        // open uploads count: two of 30 MiB do not fit in 40 MiB
        r = post("/uploads/direct", Map.of("filename", "a.ply", "size", 30L << 20, "sha256", "0".repeat(64)), bearer);
        assertEquals(201, r.statusCode(), r.body());
        r = post("/uploads/direct", Map.of("filename", "b.ply", "size", 30L << 20, "sha256", "0".repeat(64)), bearer);
        assertEquals(413, r.statusCode(), r.body());
        assertProblem(r, "storage-quota-exceeded");
    }

    @Test
    void start_badFields_422NamingTheField() throws Exception {
        String bearer = account();
        HttpResponse<String> r = post("/uploads/direct", Map.of("filename", "a.ply", "size", 10, "sha256", "abc"), bearer);
        assertEquals(422, r.statusCode(), r.body());
        assertEquals("sha256", JSON.readTree(r.body()).path("field").asText());
        r = post("/uploads/direct", Map.of("filename", "a.ply", "size", 10, "sha256", "0".repeat(64), "part_size", 1024), bearer);
        assertEquals(422, r.statusCode(), r.body());
        assertEquals("part_size", JSON.readTree(r.body()).path("field").asText());
        r = post("/uploads/direct", Map.of("filename", "a.ply", "size", 10, "sha256", "0".repeat(64)), null);
        assertEquals(401, r.statusCode(), r.body());
    }

    @Test
    void start_onLocalStorage_409PointingToTheNormalUpload() throws Exception {
        TestStack local = TestStack.local();
        String bearer = local.newAccount("dl").bearer();
        HttpResponse<String> r = local.postJson("/uploads/direct", Map.of("filename", "a.splat", "size", 32,
                "sha256", "0".repeat(64)), bearer);
        assertEquals(409, r.statusCode(), r.body());
        assertProblem(r, "direct-upload-unavailable");
        assertTrue(JSON.readTree(r.body()).path("detail").asText().contains("POST /upload/"), r.body());
    }

    @Test
    void options_keptFromStartToScene_badOnesRefusedBeforeAnyUrl_meshWithTransforms422ObjectGone() throws Exception {
        String bearer = account();
        HttpResponse<String> r = post("/uploads/direct", Map.of("filename", "a.splat", "size", 320, "sha256",
                "0".repeat(64), "options", Map.of("spz_version", 7)), bearer);
        assertEquals(422, r.statusCode(), r.body());
        assertEquals("spz_version", JSON.readTree(r.body()).path("field").asText(), r.body());

        byte[] file = TestStack.splat(500, 13);
        r = post("/uploads/direct", Map.of("filename", "opt.splat", "size", file.length, "sha256", sha256(file),
                "options", Map.of("outputs", List.of("ply"))), bearer);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode up = JSON.readTree(r.body());
        assertEquals("ply", up.path("processing_options").path("outputs").get(0).asText(), r.body());
        HttpResponse<String> done = complete(bearer, up, putParts(up.path("parts"), file, List.of(1)), List.of(1));
        assertEquals(201, done.statusCode(), done.body());
        JsonNode created = JSON.readTree(done.body());
        JsonNode scene = awaitScene(bearer, created.path("scene_id").asText(), created.path("job_id").asText());
        assertEquals("ready", scene.path("status").asText(), scene.toString());
        assertEquals("[\"ply\"]", scene.path("processing_options").path("outputs").toString(), scene.toString());

        // transforms fit splats only: a glTF mesh with them is known only once its bytes are in
        byte[] glb = TestStack.resource("Box.glb");
        r = post("/uploads/direct", Map.of("filename", "Box.glb", "size", glb.length, "sha256", sha256(glb),
                "options", Map.of("transforms", List.of("scale=2"))), bearer);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode mesh = JSON.readTree(r.body());
        String key = keyOf(mesh);
        HttpResponse<String> refused = complete(bearer, mesh, putParts(mesh.path("parts"), glb, List.of(1)), List.of(1));
        assertEquals(422, refused.statusCode(), refused.body());
        assertEquals("transforms", JSON.readTree(refused.body()).path("field").asText(), refused.body());
        assertFalse(processing.store().list("scenes/").contains(key), "the object is deleted");
        assertEquals(1, JSON.readTree(get("/scenes", bearer).body()).path("items").size());
    }

    /** The README's curl example (the block after {@code <!-- direct-upload -->}), run with bash, curl and jq as written. */
    @Test
    void readmeCurlExample_runsAsWritten(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        for (String tool : List.of("curl", "jq", "split", "sha256sum")) {
            org.junit.jupiter.api.Assumptions.assumeTrue(onPath(tool), tool + " is not on the PATH");
        }
        String readme = Files.readString(Path.of(System.getProperty("vsa.repo.root", "..")).resolve("README.md"));
        Matcher block = Pattern.compile("<!-- direct-upload -->\\n```sh\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(), "no <!-- direct-upload --> block in README.md");
        String bearer = account();
        byte[] file = TestStack.splat(20_000, 12);
        Files.createDirectories(dir.resolve("vsa-demo"));
        Files.write(dir.resolve("vsa-demo/demo.splat"), file);
        // As written but for the server's address and the file (the README's is the demo PLY `vsa demo` writes).
        assertTrue(block.group(1).startsWith("F=vsa-demo/demo.ply\n"), block.group(1));
        String script = "set -eu -o pipefail\n" + block.group(1).replace("F=vsa-demo/demo.ply", "F=vsa-demo/demo.splat")
                .replace("http://localhost:8000", server.baseUrl());
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("TOKEN", bearer.substring("Bearer ".length()));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        JsonNode answer = JSON.readTree(out);
        assertEquals("uploaded", answer.path("status").asText(), out);
        JsonNode scene = awaitScene(bearer, answer.path("scene_id").asText(), answer.path("job_id").asText());
        assertEquals(sha256(file), scene.path("sha256").asText(), scene.toString());
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    // ---- helpers ----

    private String account() throws Exception {
        String name = TestStack.newName("du");
        String pw = "correct horse " + name;
        HttpResponse<String> s = post("/auth/signup", Map.of("username", name, "password", pw, "email", name + "@example.com"), null);
        assertEquals(201, s.statusCode(), s.body());
        HttpResponse<String> l = post("/auth/login", Map.of("username", name, "password", pw), null);
        return "Bearer " + JSON.readTree(l.body()).path("access_token").asText();
    }

    private static int status(JsonNode up) {
        return up.has("upload_id") ? 201 : up.path("status").asInt();
    }

    private JsonNode startUpload(String bearer, String name, byte[] file, String sha, Long partSize) throws Exception {
        Map<String, Object> body = new HashMap<>(Map.of("filename", name, "size", file.length, "sha256", sha));
        if (partSize != null) {
            body.put("part_size", partSize);
        }
        HttpResponse<String> r = post("/uploads/direct", body, bearer);
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /** PUTs the given parts in parallel, straight to their presigned URLs; returns their ETags in that order. */
    private List<String> putParts(JsonNode parts, byte[] file, List<Integer> numbers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<HttpResponse<String>>> sent = new ArrayList<>();
            for (int n : numbers) {
                JsonNode part = parts.get(n - 1);
                sent.add(pool.submit(() -> putPart(part, file)));
            }
            List<String> etags = new ArrayList<>();
            for (Future<HttpResponse<String>> f : sent) {
                HttpResponse<String> r = f.get();
                assertEquals(200, r.statusCode(), r.body());
                etags.add(r.headers().firstValue("ETag").orElseThrow());
            }
            return etags;
        } finally {
            pool.shutdown();
        }
    }

    private HttpResponse<String> putPart(JsonNode part, byte[] file) throws Exception {
        // every part but the last has the upload's part size: PART here, or the whole file when it is one part
        long offset = (long) (part.path("number").asInt() - 1) * PART;
        int len = part.path("size").asInt();
        return http.send(HttpRequest.newBuilder(URI.create(part.path("url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(file, (int) offset, len)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> complete(String bearer, JsonNode up, List<String> etags, List<Integer> numbers)
            throws Exception {
        List<Map<String, Object>> parts = new ArrayList<>();
        for (int i = 0; i < numbers.size(); i++) {
            parts.add(Map.of("number", numbers.get(i), "etag", etags.get(i)));
        }
        return post("/uploads/direct/" + up.path("upload_id").asText() + "/complete", Map.of("parts", parts), bearer);
    }

    private List<String> objectsOf(JsonNode up) throws Exception {
        return processing.store().list("scenes/").stream().filter(k -> k.contains("/original/"))
                .filter(k -> !knownScene(k)).toList();
    }

    /** Whether the key belongs to a recorded scene (other tests' scenes share the bucket). */
    private boolean knownScene(String key) {
        String sceneId = key.split("/")[1];
        try (Connection c = DriverManager.getConnection(processing.databaseUrl());
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM scenes WHERE id = ?::uuid")) {
            ps.setString(1, sceneId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Multipart uploads the bucket holds open (S3's ListMultipartUploads). Not a PUT to a part URL after the abort:
     * S3Proxy's filesystem store accepts a part for an upload id it no longer has, where S3 answers 404 NoSuchUpload.
     */
    private static int openMultipartUploads(String key) {
        var storage = processing.config().storage();
        try (S3Client s3 = S3Client.builder().region(Region.of(storage.region())).endpointOverride(storage.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(storage.accessKey(),
                        storage.secretKey())))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build()) {
            return (int) s3.listMultipartUploads(r -> r.bucket(storage.bucket())).uploads().stream()
                    .filter(u -> u.key().equals(key)).count();
        }
    }

    /** The object key the server chose for an upload (never the client's file name). */
    private static String keyOf(JsonNode up) throws Exception {
        try (Connection c = DriverManager.getConnection(processing.databaseUrl());
             PreparedStatement ps = c.prepareStatement("SELECT storage_key FROM direct_uploads WHERE id = ?::uuid")) {
            ps.setString(1, up.path("upload_id").asText());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                String key = rs.getString(1);
                assertTrue(key.matches("scenes/[0-9a-f-]{36}/original/0"), key);
                return key;
            }
        }
    }

    private boolean sessionExists(String id) throws Exception {
        try (Connection c = DriverManager.getConnection(processing.databaseUrl());
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM direct_uploads WHERE id = ?::uuid")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private JsonNode awaitScene(String bearer, String sceneId, String jobId) throws Exception {
        HttpResponse<java.util.stream.Stream<String>> r = http.send(HttpRequest.newBuilder(
                URI.create(server.baseUrl() + "/jobs/" + jobId + "/events")).header("Authorization", bearer).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        try (java.util.stream.Stream<String> lines = r.body()) {
            assertFalse(lines.filter(l -> l.equals("event: end")).findFirst().isEmpty(), "no end event");
        }
        return JSON.readTree(get("/scenes/" + sceneId, bearer).body());
    }

    /** {count, sum} of the API's {@code vsa_upload_bytes} meter. */
    private double[] uploadMetric() throws Exception {
        String m = get("/metrics", null).body();
        return new double[] {metric(m, "vsa_upload_bytes_count"), metric(m, "vsa_upload_bytes_sum")};
    }

    private static double metric(String text, String name) {
        Matcher x = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? (\\S+)$").matcher(text);
        return x.find() ? Double.parseDouble(x.group(2)) : 0;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private HttpResponse<String> post(String path, Object body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (bearer != null) {
            b.header("Authorization", bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET();
        if (bearer != null) {
            b.header("Authorization", bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> delete(String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).DELETE();
        if (bearer != null) {
            b.header("Authorization", bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
