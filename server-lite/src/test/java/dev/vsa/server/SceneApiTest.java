package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.vsa.server.AuthApiTest.assertProblem;
import static dev.vsa.server.TestStack.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Uploads, scenes, files, conversions and jobs over real HTTP, S3Proxy behind processing. */
class SceneApiTest {
    private final TestStack stack = TestStack.shared();

    @ParameterizedTest
    @ValueSource(strings = {"/upload/", "/upload"})
    void upload_splat_201WithIdsFormatSizeAndStatusUrl(String path) throws Exception {
        TestStack.Account a = stack.newAccount("up");
        byte[] splat = TestStack.splat(100, 1);
        String boundary = "xyz";
        byte[] body = multipart(boundary, "scene.splat", splat);
        HttpResponse<String> r = stack.http.send(HttpRequest.newBuilder(URI.create(stack.url(path)))
                .header("Authorization", a.bearer()).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        JsonNode u = JSON.readTree(r.body());
        assertEquals("splat", u.path("format").asText());
        assertEquals(splat.length, u.path("size").asLong());
        assertEquals(stack.url("/scenes/" + u.path("scene_id").asText()), u.path("status_url").asText());
        assertFalse(u.path("job_id").asText().isEmpty());
        JsonNode scene = stack.awaitScene(a.bearer(), u.path("scene_id").asText(), u.path("job_id").asText());
        assertEquals("ready", scene.path("status").asText(), scene.toString());
        assertEquals(100, scene.path("progress").asInt());
    }

    @Test
    void upload_gltfWithItsBufferAsSecondPart_201() throws Exception {
        TestStack.Account a = stack.newAccount("gltf");
        HttpResponse<String> r = stack.upload(a.bearer(), "Box.gltf", TestStack.resource("Box.gltf"),
                "Box0.bin", TestStack.resource("Box0.bin"));
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("gltf", JSON.readTree(r.body()).path("format").asText());
    }

    @Test
    void upload_zipOfGltfAndBuffer_201() throws Exception {
        TestStack.Account a = stack.newAccount("zip");
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            for (String n : List.of("Box.gltf", "Box0.bin")) {
                z.putNextEntry(new ZipEntry(n));
                z.write(TestStack.resource(n));
                z.closeEntry();
            }
        }
        HttpResponse<String> r = stack.upload(a.bearer(), "box.zip", zip.toByteArray());
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("gltf", JSON.readTree(r.body()).path("format").asText());
    }

    /** A LOD set splat-transform wrote (core's test data): lod-meta.json and a folder per unit. */
    private static final Path LOD_SET = Path.of(System.getProperty("vsa.repo.root", ".."))
            .resolve("core/src/test/resources/splats/lod/st-2lv-sh1");

    @Test
    void upload_lodMetaAlone_422SayingItsUnitsMustComeWithIt() throws Exception {
        TestStack.Account a = stack.newAccount("lodalone");
        Set<String> before = originals();
        HttpResponse<String> r = stack.upload(a.bearer(), "lod-meta.json", Files.readAllBytes(LOD_SET.resolve("lod-meta.json")));
        assertEquals(422, r.statusCode(), r.body());
        assertProblem(r, "invalid-upload");
        String detail = JSON.readTree(r.body()).path("detail").asText();
        assertTrue(detail.contains("0_0/meta.json") && detail.contains("zip") && !detail.contains("\n"), detail);
        assertEquals(before, originals(), "nothing stored for a refused upload");
    }

    @Test
    void upload_zipOfLodSet_201() throws Exception {
        TestStack.Account a = stack.newAccount("lodzip");
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip); Stream<Path> files = Files.walk(LOD_SET)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                z.putNextEntry(new ZipEntry("set/" + LOD_SET.relativize(f).toString().replace('\\', '/')));
                z.write(Files.readAllBytes(f));
                z.closeEntry();
            }
        }
        HttpResponse<String> r = stack.upload(a.bearer(), "set.zip", zip.toByteArray());
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("lod", JSON.readTree(r.body()).path("format").asText());
    }

    /** The files of LOD_SET's folder {@code dir} (all when empty), zipped under {@code prefix}, leaving out {@code skip}. */
    private static byte[] zipOf(String dir, String prefix, String skip) throws Exception {
        return zipOf(dir, prefix, skip, Map.of());
    }

    /** As {@link #zipOf(String, String, String)}, with {@code extra} entries (name to bytes) first. */
    private static byte[] zipOf(String dir, String prefix, String skip, Map<String, byte[]> extra) throws Exception {
        Path root = dir.isEmpty() ? LOD_SET : LOD_SET.resolve(dir);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip); Stream<Path> files = Files.walk(root)) {
            for (Map.Entry<String, byte[]> e : extra.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = root.relativize(f).toString().replace('\\', '/');
                if (name.equals(skip)) {
                    continue;
                }
                z.putNextEntry(new ZipEntry(prefix + name));
                z.write(Files.readAllBytes(f));
                z.closeEntry();
            }
        }
        return zip.toByteArray();
    }

    @Test
    void upload_unbundledSogMetaAlone_422SayingItsImagesMustComeWithIt() throws Exception {
        TestStack.Account a = stack.newAccount("sogalone");
        Set<String> before = originals();
        HttpResponse<String> r = stack.upload(a.bearer(), "meta.json", Files.readAllBytes(LOD_SET.resolve("0_0/meta.json")));
        assertEquals(422, r.statusCode(), r.body());
        assertProblem(r, "invalid-upload");
        String detail = JSON.readTree(r.body()).path("detail").asText();
        assertTrue(detail.contains("means_l.webp") && detail.contains("zip") && !detail.contains("\n"), detail);
        assertEquals(before, originals(), "nothing stored for a refused upload");
    }

    @Test
    void upload_zipOfUnbundledSog_201() throws Exception {
        TestStack.Account a = stack.newAccount("sogzip");
        HttpResponse<String> r = stack.upload(a.bearer(), "unit.zip", zipOf("0_0", "unit/", ""));
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("sog", JSON.readTree(r.body()).path("format").asText());
    }

    @Test
    void upload_zipOfLodSetWithoutOneUnitsImage_422NamingIt() throws Exception {
        TestStack.Account a = stack.newAccount("lodnoimage");
        HttpResponse<String> r = stack.upload(a.bearer(), "set.zip", zipOf("", "set/", "1_0/quats.webp"));
        assertEquals(422, r.statusCode(), r.body());
        String detail = JSON.readTree(r.body()).path("detail").asText();
        assertTrue(detail.contains("set/1_0/meta.json") && detail.contains("quats.webp"), detail);
    }

    @Test
    void upload_zipOfLodSetAndAnotherScene_422NamingTheOther() throws Exception {
        TestStack.Account a = stack.newAccount("lodextra");
        Set<String> before = originals();
        HttpResponse<String> r = stack.upload(a.bearer(), "set.zip",
                zipOf("", "set/", "", Map.of("extra.splat", TestStack.splat(100, 1))));
        assertEquals(422, r.statusCode(), r.body());
        assertProblem(r, "invalid-upload");
        String detail = JSON.readTree(r.body()).path("detail").asText();
        assertTrue(detail.contains("extra.splat") && !detail.contains("0_0") && detail.contains("one scene"), detail);
        assertEquals(before, originals(), "nothing stored for a refused upload");
    }

    @Test
    void upload_zipOfGltfAndAnotherScene_422NamingTheOther() throws Exception {
        TestStack.Account a = stack.newAccount("gltfextra");
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            for (String n : List.of("Box.gltf", "Box0.bin")) {
                z.putNextEntry(new ZipEntry(n));
                z.write(TestStack.resource(n));
                z.closeEntry();
            }
            z.putNextEntry(new ZipEntry("other.splat"));
            z.write(TestStack.splat(100, 1));
            z.closeEntry();
        }
        HttpResponse<String> r = stack.upload(a.bearer(), "box.zip", zip.toByteArray());
        assertEquals(422, r.statusCode(), r.body());
        assertTrue(JSON.readTree(r.body()).path("detail").asText().contains("other.splat"), r.body());
    }

    @Test
    void upload_contentOfNoSceneFormat_415WithReason() throws Exception {
        TestStack.Account a = stack.newAccount("junk");
        Set<String> before = originals();
        HttpResponse<String> r = stack.upload(a.bearer(), "fake.ply", "this is not a ply file at all".getBytes(StandardCharsets.UTF_8));
        assertEquals(415, r.statusCode(), r.body());
        assertProblem(r, "unsupported-media-type");
        assertFalse(JSON.readTree(r.body()).path("detail").asText().isBlank());
        assertEquals(0, JSON.readTree(stack.get("/scenes", a.bearer()).body()).path("items").size());
        assertEquals(before, originals(), "nothing stored for a refused upload");
        assertNothingSpooled();
    }

    @Test
    void upload_notMultipart_415() throws Exception {
        TestStack.Account a = stack.newAccount("json");
        HttpResponse<String> r = stack.postJson("/upload/", Map.of("file", "x"), a.bearer());
        assertEquals(415, r.statusCode());
        assertProblem(r, "unsupported-media-type");
    }

    @Test
    void upload_withoutToken_401() throws Exception {
        HttpResponse<String> r = stack.upload(null, "a.splat", TestStack.splat(10, 2));
        assertEquals(401, r.statusCode());
    }

    @Test
    void upload_overLimit_413AndNothingLeft() throws Exception {
        TestStack.Account a = stack.newAccount("big");
        Set<String> before = originals();
        HttpResponse<String> r = stack.upload(a.bearer(), "big.splat", TestStack.splat((int) (TestStack.MAX_UPLOAD / 32) + 1000, 3));
        assertEquals(413, r.statusCode(), r.body());
        assertProblem(r, "payload-too-large");
        assertEquals(before, originals());
        assertEquals(0, JSON.readTree(stack.get("/scenes", a.bearer()).body()).path("items").size());
        assertNothingSpooled();
    }

    @Test
    void upload_chunkedOverLimit_413AndNothingLeft() throws Exception {
        // No Content-Length: the limit is enforced while streaming.
        TestStack.Account a = stack.newAccount("chunked");
        Set<String> before = originals();
        byte[] body = multipart("bnd", "big.splat", TestStack.splat((int) (TestStack.MAX_UPLOAD / 32) + 1000, 4));
        HttpResponse<String> r = stack.http.send(HttpRequest.newBuilder(URI.create(stack.url("/upload/")))
                .header("Authorization", a.bearer()).header("Content-Type", "multipart/form-data; boundary=bnd")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode(), r.body());
        assertEquals(before, originals());
        assertEquals(0, JSON.readTree(stack.get("/scenes", a.bearer()).body()).path("items").size());
        assertNothingSpooled();
    }

    @Test
    void upload_declaredLengthOverLimit_413BeforeTheBodyIsRead() throws Exception {
        TestStack.Account a = stack.newAccount("declared");
        try (Socket s = new Socket("127.0.0.1", stack.server.port())) {
            s.getOutputStream().write(("POST /upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + a.bearer()
                    + "\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: " + (TestStack.MAX_UPLOAD * 4)
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 413", status);
        }
    }

    @Test
    void upload_clientDisconnectsMidway_noRowNoObject() throws Exception {
        TestStack.Account a = stack.newAccount("gone");
        Set<String> before = originals();
        byte[] splat = TestStack.splat(50_000, 5);
        byte[] body = multipart("cut", "cut.splat", splat);
        try (Socket s = new Socket("127.0.0.1", stack.server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + a.bearer()
                    + "\r\nContent-Type: multipart/form-data; boundary=cut\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length / 2);
            out.flush();
        }
        assertTrue(stack.server.awaitIdle(Duration.ofSeconds(20)), "the upload handler finished");
        assertEquals(before, originals());
        assertEquals(0, JSON.readTree(stack.get("/scenes", a.bearer()).body()).path("items").size());
        assertNothingSpooled();
    }

    @Test
    void upload_plainFieldsBesideTheFile_ignored() throws Exception {
        TestStack.Account a = stack.newAccount("fields");
        byte[] file = multipart("f", "room.splat", TestStack.splat(10, 6));
        byte[] field = "--f\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nmy room\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[field.length + file.length];
        System.arraycopy(field, 0, body, 0, field.length);
        System.arraycopy(file, 0, body, field.length, file.length);
        HttpResponse<String> r = postMultipart(a, "f", body);
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("room.splat", JSON.readTree(r.body()).path("filename").asText());
        assertNothingSpooled();
    }

    @Test
    void upload_hugePlainFieldAndNoFile_422AndNothingLeft() throws Exception {
        TestStack.Account a = stack.newAccount("bigfield");
        String body = "--g\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n" + "x".repeat(100_000) + "\r\n--g--\r\n";
        HttpResponse<String> r = postMultipart(a, "g", body.getBytes(StandardCharsets.UTF_8));
        assertEquals(422, r.statusCode(), r.body());
        assertTrue(JSON.readTree(r.body()).path("detail").asText().contains("no file"), r.body());
        assertNothingSpooled();
    }

    @Test
    void upload_malformedMultipart_400AndNothingLeft() throws Exception {
        TestStack.Account a = stack.newAccount("malformed");
        Set<String> before = originals();
        byte[] ok = multipart("m", "a.splat", TestStack.splat(1000, 7));
        byte[] cut = java.util.Arrays.copyOf(ok, ok.length - 8); // no closing boundary
        HttpResponse<String> r = postMultipart(a, "m", cut);
        assertEquals(400, r.statusCode(), r.body());
        assertProblem(r, "bad-request");
        assertTrue(JSON.readTree(r.body()).path("detail").asText().contains("multipart"), r.body());
        assertEquals(before, originals());
        assertNothingSpooled();
    }

    private HttpResponse<String> postMultipart(TestStack.Account a, String boundary, byte[] body) throws Exception {
        return stack.http.send(HttpRequest.newBuilder(URI.create(stack.url("/upload/")))
                .header("Authorization", a.bearer()).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Neither Jetty's part files nor vsa's spooled copies outlive a request. */
    private void assertNothingSpooled() throws Exception {
        assertTrue(stack.server.awaitIdle(Duration.ofSeconds(20)), "requests finished");
        try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.list(stack.processing.scenes().stagingDirectory())) {
            assertEquals(List.of(), s.toList());
        }
    }

    @Test
    void scenes_listNewestFirstPaginatedAndOwnOnly() throws Exception {
        TestStack.Account a = stack.newAccount("list");
        TestStack.Account b = stack.newAccount("list");
        String[] ids = new String[3];
        for (int i = 0; i < 3; i++) {
            ids[i] = JSON.readTree(stack.upload(a.bearer(), "s" + i + ".splat", TestStack.splat(10, 10 + i)).body()).path("scene_id").asText();
        }
        stack.upload(b.bearer(), "b.splat", TestStack.splat(10, 20));
        JsonNode p1 = JSON.readTree(stack.get("/scenes?limit=2", a.bearer()).body());
        assertEquals(2, p1.path("items").size());
        assertEquals(ids[2], p1.path("items").get(0).path("id").asText());
        assertEquals(ids[1], p1.path("items").get(1).path("id").asText());
        JsonNode p2 = JSON.readTree(stack.get("/scenes?limit=2&cursor=" + p1.path("next_cursor").asText(), a.bearer()).body());
        assertEquals(1, p2.path("items").size());
        assertEquals(ids[0], p2.path("items").get(0).path("id").asText());
        assertTrue(p2.path("next_cursor").isNull());
        assertEquals(400, stack.get("/scenes?limit=0", a.bearer()).statusCode());
        // GET /scenes and GET /jobs read limit through one helper, each with its own cap
        assertEquals(400, stack.get("/scenes?limit=101", a.bearer()).statusCode());
        assertEquals(400, stack.get("/scenes?limit=x", a.bearer()).statusCode());
        assertEquals(200, stack.get("/jobs?limit=200", a.bearer()).statusCode());
        assertEquals(400, stack.get("/jobs?limit=201", a.bearer()).statusCode());
    }

    @Test
    void scene_deleted_goneWithItsObjects() throws Exception {
        TestStack.Account a = stack.newAccount("del");
        JsonNode u = JSON.readTree(stack.upload(a.bearer(), "d.splat", TestStack.splat(10, 30)).body());
        String id = u.path("scene_id").asText();
        stack.awaitScene(a.bearer(), id, u.path("job_id").asText());
        assertFalse(stack.processing.store().list("scenes/" + id + "/").isEmpty());
        assertEquals(204, stack.delete("/scenes/" + id, a.bearer()).statusCode());
        assertEquals(404, stack.get("/scenes/" + id, a.bearer()).statusCode());
        // The objects go through the queue (a purge job committed with the delete): gone once a worker ran it.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!stack.processing.store().list("scenes/" + id + "/").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(stack.processing.store().list("scenes/" + id + "/").isEmpty());
        assertEquals(404, stack.delete("/scenes/" + id, a.bearer()).statusCode());
    }

    @Test
    void file_onS3_redirectsToAPresignedUrlThatServesTheBytes() throws Exception {
        TestStack.Account a = stack.newAccount("dl");
        byte[] splat = TestStack.splat(40, 40);
        JsonNode u = JSON.readTree(stack.upload(a.bearer(), "dl.splat", splat).body());
        JsonNode scene = stack.awaitScene(a.bearer(), u.path("scene_id").asText(), u.path("job_id").asText());
        JsonNode original = null;
        for (JsonNode f : scene.path("files")) {
            if (f.path("kind").asText().equals("original")) {
                original = f;
            }
        }
        HttpResponse<String> r = stack.get(URI.create(original.path("url").asText()).getRawPath(), a.bearer());
        assertEquals(302, r.statusCode());
        String location = r.headers().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> bytes = stack.http.send(HttpRequest.newBuilder(URI.create(location)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, bytes.statusCode());
        assertTrue(java.util.Arrays.equals(splat, bytes.body()));
    }

    @Test
    void conversion_toSpz_producesAFile() throws Exception {
        TestStack.Account a = stack.newAccount("conv");
        JsonNode u = JSON.readTree(stack.upload(a.bearer(), "c.splat", TestStack.splat(40, 50)).body());
        String id = u.path("scene_id").asText();
        stack.awaitScene(a.bearer(), id, u.path("job_id").asText());
        HttpResponse<String> r = stack.postJson("/scenes/" + id + "/conversions", Map.of("to", "spz"), a.bearer());
        assertEquals(202, r.statusCode(), r.body());
        JsonNode scene = stack.awaitScene(a.bearer(), id, JSON.readTree(r.body()).path("job_id").asText());
        assertTrue(scene.path("files").toString().contains("scene.spz"), scene.toString());
        HttpResponse<String> bad = stack.postJson("/scenes/" + id + "/conversions", Map.of("to", "obj"), a.bearer());
        assertEquals(422, bad.statusCode());
        assertEquals("to", JSON.readTree(bad.body()).path("field").asText());
    }

    @Test
    void jobEvents_streamProgressThenEnd() throws Exception {
        TestStack.Account a = stack.newAccount("sse");
        JsonNode u = JSON.readTree(stack.upload(a.bearer(), "e.splat", TestStack.splat(40, 60)).body());
        HttpResponse<java.util.stream.Stream<String>> r = stack.http.send(HttpRequest.newBuilder(
                URI.create(stack.url("/jobs/" + u.path("job_id").asText() + "/events"))).header("Authorization", a.bearer()).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals("text/event-stream", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        List<String> lines = r.body().toList();
        assertTrue(lines.contains("event: end"), lines.toString());
        String last = lines.stream().filter(l -> l.startsWith("data:")).reduce((x, y) -> y).orElseThrow();
        assertEquals("succeeded", JSON.readTree(last.substring(5)).path("state").asText());
    }

    @Test
    void ownership_otherUserOnEveryRouteOfAScene_404() throws Exception {
        TestStack.Account a = stack.newAccount("owner");
        TestStack.Account b = stack.newAccount("intruder");
        JsonNode u = JSON.readTree(stack.upload(a.bearer(), "o.splat", TestStack.splat(20, 70)).body());
        String id = u.path("scene_id").asText();
        String job = u.path("job_id").asText();
        JsonNode scene = stack.awaitScene(a.bearer(), id, job);
        String file = scene.path("files").get(0).path("name").asText();
        List<HttpResponse<String>> tries = List.of(
                stack.get("/scenes/" + id, b.bearer()),
                stack.get("/scenes/" + id + "/files/" + file, b.bearer()),
                stack.postJson("/scenes/" + id + "/conversions", Map.of("to", "spz"), b.bearer()),
                stack.get("/jobs/" + job, b.bearer()),
                stack.get("/jobs/" + job + "/events", b.bearer()),
                stack.delete("/scenes/" + id, b.bearer()));
        for (HttpResponse<String> r : tries) {
            assertEquals(404, r.statusCode(), r.request().method() + " " + r.uri() + ": " + r.body());
            assertProblem(r, "not-found");
        }
        assertEquals(0, JSON.readTree(stack.get("/scenes", b.bearer()).body()).path("items").size());
        assertEquals(200, stack.get("/scenes/" + id, a.bearer()).statusCode(), "still there for its owner");
    }

    static byte[] multipart(String boundary, String name, byte[] content) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        b.writeBytes(content);
        b.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }


    /** Stored originals: the worker may still be writing outputs of earlier tests' scenes, so compare only these. */
    private Set<String> originals() throws Exception {
        Set<String> keys = new TreeSet<>();
        for (String key : stack.processing.store().list("scenes/")) {
            if (key.contains("/original/")) {
                keys.add(key);
            }
        }
        return keys;
    }
}
