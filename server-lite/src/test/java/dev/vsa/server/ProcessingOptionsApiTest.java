package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.vsa.core.inspect.SplatInspector;
import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.Splats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static dev.vsa.server.TestStack.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Processing options over real HTTP, real PostgreSQL (embedded) and S3Proxy: what an upload's options make, what
 * re-processing replaces, and bad options refused before anything is stored.
 */
class ProcessingOptionsApiTest {
    private final TestStack stack = TestStack.shared();
    static HttpServer receiver;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void upload_outputsSpzOnly_makesOnlySpzAndTheReport() throws Exception {
        TestStack.Account a = stack.newAccount("opt");
        HttpResponse<String> r = upload(a, "", "{\"outputs\": [\"spz\"]}", "s.splat", TestStack.splat(60, 1));
        assertEquals(201, r.statusCode(), r.body());
        JsonNode u = JSON.readTree(r.body());
        assertEquals("[\"spz\"]", u.path("processing_options").path("outputs").toString());
        JsonNode scene = stack.awaitScene(a.bearer(), u.path("scene_id").asText(), u.path("job_id").asText());
        assertEquals("ready", scene.path("status").asText(), scene.toString());
        // and the SPZ 3 the web app's viewer reads (scene.spz is an SPZ 4)
        assertEquals(Set.of("original/s.splat", "validation.json", "scene.spz", "viewer.spz"), names(scene));
        assertEquals("viewer.spz", scene.path("metadata").path("viewerFile").asText(), scene.toString());
        assertEquals("[\"spz\"]", scene.path("processing_options").path("outputs").toString());
        assertTrue(scene.path("thumbnail_url").isNull(), "no preview asked for");
    }

    @Test
    void upload_spzVersion3_writesAnSpz3File() throws Exception {
        TestStack.Account a = stack.newAccount("opt");
        HttpResponse<String> r = upload(a, "?outputs=spz&spz_version=3", null, "s.splat", TestStack.splat(60, 2));
        assertEquals(201, r.statusCode(), r.body());
        JsonNode u = JSON.readTree(r.body());
        JsonNode scene = stack.awaitScene(a.bearer(), u.path("scene_id").asText(), u.path("job_id").asText());
        assertEquals(3, scene.path("processing_options").path("spz_version").asInt(), scene.toString());
        Path spz = download(a, scene, "scene.spz");
        byte[] head = Files.readAllBytes(spz);
        assertEquals(0x1f, head[0] & 0xff, "SPZ 3 is gzip");
        assertEquals(0x8b, head[1] & 0xff);
        assertEquals(3, SplatInspector.inspect(spz, ProgressListener.NONE).version());
        // the viewer reads it: no other file made for it
        assertEquals(Set.of("original/s.splat", "validation.json", "scene.spz"), names(scene));
        assertEquals("scene.spz", scene.path("metadata").path("viewerFile").asText(), scene.toString());
    }

    @Test
    void upload_transformAndFrame_positionsMoved() throws Exception {
        TestStack.Account a = stack.newAccount("opt");
        byte[] splat = TestStack.splat(60, 3);
        ByteBuffer in = ByteBuffer.wrap(splat).order(ByteOrder.LITTLE_ENDIAN);
        float x = in.getFloat(0), y = in.getFloat(4), z = in.getFloat(8);
        // translate first, then the frame change RDF -> RUB negates y and z (docs/frames.md)
        HttpResponse<String> r = upload(a, "", "{\"outputs\": [\"ply\"], \"transforms\": [\"translate=1,0,0\"], "
                + "\"from_frame\": \"RDF\", \"to_frame\": \"RUB\"}", "s.splat", splat);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode u = JSON.readTree(r.body());
        JsonNode scene = stack.awaitScene(a.bearer(), u.path("scene_id").asText(), u.path("job_id").asText());
        assertEquals(Set.of("original/s.splat", "validation.json", "scene.ply", "viewer.spz"), names(scene), scene.toString());
        float[] p = firstPosition(download(a, scene, "scene.ply"));
        assertEquals(x + 1, p[0], 1e-6);
        assertEquals(-y, p[1], 1e-6);
        assertEquals(-z, p[2], 1e-6);
    }

    @Test
    void reprocess_replacesOutputsAndFiresWebhooks() throws Exception {
        TestStack.Account a = stack.newAccount("rep");
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        HttpResponse<String> w = stack.postJson("/webhooks", Map.of("url", hook, "events", List.of("scene.ready")), a.bearer());
        assertEquals(201, w.statusCode(), w.body());
        String webhookId = JSON.readTree(w.body()).path("id").asText();
        JsonNode u = JSON.readTree(upload(a, "", null, "s.splat", TestStack.splat(60, 4)).body());
        String id = u.path("scene_id").asText();
        JsonNode first = stack.awaitScene(a.bearer(), id, u.path("job_id").asText());
        assertTrue(names(first).containsAll(Set.of("scene.spz", "scene.glb", "preview.png")), first.toString());
        assertEquals("[\"spz\",\"glb\",\"preview\"]", first.path("processing_options").path("outputs").toString());
        List<String> before = stack.processing.store().list("scenes/" + id + "/outputs/");

        // A scene still processing, or with a job pending (held here by a run_after far ahead), is a conflict.
        sql("UPDATE scenes SET status = 'processing' WHERE id = '" + id + "'");
        HttpResponse<String> processing = stack.postJson("/scenes/" + id + "/reprocess", Map.of(), a.bearer());
        assertEquals(409, processing.statusCode(), processing.body());
        AuthApiTest.assertProblem(processing, "scene-busy");
        sql("UPDATE scenes SET status = 'ready' WHERE id = '" + id + "'");
        UUID held = UUID.randomUUID();
        sql("INSERT INTO jobs (id, scene_id, kind, state, max_attempts, run_after) VALUES ('" + held + "', '" + id
                + "', 'convert', 'queued', 1, now() + interval '1 day')");
        HttpResponse<String> busy = stack.postJson("/scenes/" + id + "/reprocess", Map.of(), a.bearer());
        assertEquals(409, busy.statusCode(), busy.body());
        sql("DELETE FROM jobs WHERE id = '" + held + "'");

        HttpResponse<String> r = stack.postJson("/scenes/" + id + "/reprocess",
                Map.of("outputs", List.of("ply"), "spz_version", 3), a.bearer());
        assertEquals(202, r.statusCode(), r.body());
        JsonNode job = JSON.readTree(r.body());

        JsonNode after = stack.awaitScene(a.bearer(), id, job.path("job_id").asText());
        assertEquals("ready", after.path("status").asText(), after.toString());
        assertEquals(Set.of("original/s.splat", "validation.json", "scene.ply", "viewer.spz"), names(after));
        assertEquals("[\"ply\"]", after.path("processing_options").path("outputs").toString());
        assertEquals(404, stack.get("/scenes/" + id + "/files/scene.spz", a.bearer()).statusCode());
        // the replaced objects go from the bucket (right after the job's commit, so a moment after its end event);
        // what is left is the new job's
        List<String> now = stack.processing.store().list("scenes/" + id + "/outputs/");
        for (long deadline = System.nanoTime() + 30_000_000_000L; now.size() > 3 && System.nanoTime() < deadline; ) {
            Thread.sleep(50);
            now = stack.processing.store().list("scenes/" + id + "/outputs/");
        }
        assertEquals(3, now.size(), now.toString()); // scene.ply, validation.json, viewer.spz
        assertTrue(now.stream().allMatch(k -> k.contains("/" + job.path("job_id").asText() + "/")), now.toString());
        assertTrue(before.stream().noneMatch(now::contains), before + " " + now);
        assertEquals(60, JSON.readTree(stack.get("/scenes/" + id, a.bearer()).body()).path("metadata").path("splatCount").asInt());

        JsonNode log = JSON.readTree(stack.get("/webhooks/" + webhookId + "/deliveries", a.bearer()).body()).path("items");
        assertEquals(List.of("scene.ready", "scene.ready"), log.findValuesAsText("event"), log.toString());
    }

    @Test
    void badOptions_422AndNoSceneStored() throws Exception {
        TestStack.Account a = stack.newAccount("bad");
        byte[] splat = TestStack.splat(10, 5);
        String[][] cases = {
                {"", "{\"outputs\": [\"obj\"]}", "outputs"},
                {"", "{\"transforms\": [\"rotate=1,2\"]}", "transforms"},
                {"", "{\"from_frame\": \"RUB\", \"to_frame\": \"UP\"}", "to_frame"},
                {"", "{\"from_frame\": \"RUB\"}", "to_frame"},
                {"", "{\"spz_version\": 2}", "spz_version"},
                {"", "not json", "options"},
                {"?outputs=spz,fbx", null, "outputs"},
                {"?transform=sort=hilbert", null, "transforms"},
                {"?outputs=spz", "{\"outputs\": [\"spz\"]}", "options"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = upload(a, c[0], c[1], "s.splat", splat);
            assertEquals(422, r.statusCode(), c[0] + " " + c[1] + ": " + r.body());
            AuthApiTest.assertProblem(r, "invalid-field");
            assertEquals(c[2], JSON.readTree(r.body()).path("field").asText(), r.body());
        }
        // options left open: one line in vsa's words, with where the JSON stopped
        HttpResponse<String> open = upload(a, "", "{\"outputs\": [\"spz\"", "s.splat", splat);
        assertEquals(422, open.statusCode(), open.body());
        String detail = JSON.readTree(open.body()).path("detail").asText();
        assertFalse(detail.contains("[Source") || detail.contains("REDACTED"), detail);
        assertTrue(detail.contains("at line 1, column "), detail);
        // a mesh takes no transforms
        HttpResponse<String> mesh = upload(a, "?transform=scale=2", null, "Box.glb", TestStack.resource("Box.glb"));
        assertEquals(422, mesh.statusCode(), mesh.body());
        assertEquals(0, JSON.readTree(stack.get("/scenes", a.bearer()).body()).path("items").size());

        JsonNode u = JSON.readTree(upload(a, "", null, "s.splat", splat).body());
        String id = u.path("scene_id").asText();
        stack.awaitScene(a.bearer(), id, u.path("job_id").asText());
        HttpResponse<String> bad = stack.postJson("/scenes/" + id + "/reprocess", Map.of("outputs", List.of("gif")), a.bearer());
        assertEquals(422, bad.statusCode(), bad.body());
        assertEquals("outputs", JSON.readTree(bad.body()).path("field").asText());
        assertEquals("ready", JSON.readTree(stack.get("/scenes/" + id, a.bearer()).body()).path("status").asText());
        assertEquals(404, stack.postJson("/scenes/" + UUID.randomUUID() + "/reprocess", Map.of(), a.bearer()).statusCode());
        TestStack.Account other = stack.newAccount("other");
        assertEquals(404, stack.postJson("/scenes/" + id + "/reprocess", Map.of(), other.bearer()).statusCode());
    }

    private void sql(String statement) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(stack.processing.databaseUrl());
             java.sql.Statement st = c.createStatement()) {
            assertEquals(1, st.executeUpdate(statement), statement);
        }
    }

    /** POST /upload/{query} with one file part and, unless null, an {@code options} part. */
    private HttpResponse<String> upload(TestStack.Account a, String query, String options, String name, byte[] bytes)
            throws Exception {
        String boundary = "b" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (options != null) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"options\"\r\n"
                    + "Content-Type: application/json\r\n\r\n" + options + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(bytes);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return stack.http.send(HttpRequest.newBuilder(URI.create(stack.url("/upload/" + query)))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Authorization", a.bearer())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Set<String> names(JsonNode scene) {
        Set<String> out = new TreeSet<>();
        scene.path("files").forEach(f -> out.add(f.path("name").asText()));
        return out;
    }

    /** Downloads an output through the API's redirect to the bucket (S3Proxy). */
    private Path download(TestStack.Account a, JsonNode scene, String name) throws Exception {
        HttpResponse<String> r = stack.get("/scenes/" + scene.path("id").asText() + "/files/" + name, a.bearer());
        assertEquals(302, r.statusCode(), r.body());
        HttpResponse<byte[]> bytes = stack.http.send(HttpRequest.newBuilder(URI.create(
                r.headers().firstValue("Location").orElseThrow())).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, bytes.statusCode());
        Path f = tmp.resolve(name);
        Files.write(f, bytes.body());
        return f;
    }

    private static float[] firstPosition(Path file) throws Exception {
        try (SplatReader in = Splats.open(file)) {
            SplatBatch b = new SplatBatch(in.info().layout(), 16);
            assertTrue(in.read(b) > 0);
            return new float[] {b.get(0, SplatLayout.X), b.get(0, SplatLayout.Y), b.get(0, SplatLayout.Z)};
        }
    }
}
