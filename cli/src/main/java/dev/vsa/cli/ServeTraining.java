package dev.vsa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vsa.cli.demo.SyntheticScene;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.processing.Processing;
import dev.vsa.processing.ProcessingConfig;
import dev.vsa.server.ServerConfig;
import dev.vsa.server.VsaServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The run {@code vsa serve}'s AOT cache is recorded from ({@code AotTraining DIR serve}): the server as
 * {@code vsa serve} starts it (embedded PostgreSQL, local storage, one in-process worker, default settings,
 * environment ignored) on a home in {@code DIR}, then over real HTTP what its clients do: sign up, log in, upload
 * small scenes, follow a job's events to the end, read scenes, lists and files, health and readiness, a few hundred
 * requests; then a clean stop. The generic cache (from {@code vsa demo}) holds none of Jetty, Javalin, HikariCP,
 * pgjdbc or the API's classes: a fresh server's first 10 s of bench/auth-load.sh 200 60 had its reads' p99 at
 * 1.4-2.3 s (later windows 50-480 ms), 200 clients at once on classes loaded and linked one by one.
 * Bounded: every request has a timeout and the whole run a deadline; any failure exits non-zero (no cache).
 */
final class ServeTraining {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final long DEADLINE_NANOS = Duration.ofSeconds(120).toNanos();
    private static final int UPLOADS = 3;
    private static final int READ_ROUNDS = 60;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    private final long deadline = System.nanoTime() + DEADLINE_NANOS;
    private final String base;

    private ServeTraining(String base) {
        this.base = base;
    }

    /** Starts the server on a home under {@code dir}, sends the requests and stops it; 0, or 1 on a failure. */
    static int train(Path dir) throws Exception {
        Map<String, String> p = new HashMap<>();
        p.put(ProcessingConfig.HOME, dir.resolve("home").toString());
        p.put(ProcessingConfig.STORAGE_TYPE, "local");
        Processing processing = Processing.start(ProcessingConfig.load(p, Map.of(), null));
        try {
            processing.startWorkers(1);
            ServerConfig sc = ServerConfig.load(Map.of(ServerConfig.PORT, "0", ServerConfig.HOST, "127.0.0.1"),
                    Map.of(), processing.config().home());
            try (VsaServer server = VsaServer.start(sc, processing)) {
                new ServeTraining(server.baseUrl()).requests(dir);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("AotTraining serve: " + e);
            return 1;
        } finally {
            processing.close(Duration.ofSeconds(20));
        }
        return 0;
    }

    private void requests(Path dir) throws Exception {
        check("/healthz", get("/healthz", null));
        check("/readyz", get("/readyz", null));
        String name = "training";
        String password = "training password 1";
        post("/auth/signup", null, "application/json", body(Map.of("username", name, "password", password,
                "email", "training@example.com")), 201);
        String login = post("/auth/login", null, "application/json",
                body(Map.of("username", name, "password", password)), 200);
        String token = json.readTree(login).path("access_token").asText();
        String refresh = json.readTree(login).path("refresh_token").asText();
        String scene = null;
        for (int i = 0; i < UPLOADS; i++) {
            Path splat = dir.resolve("t" + i + ".splat");
            SyntheticScene.write(splat, SplatFormat.SPLAT, 64, 0, i);
            String boundary = "vsa-training-" + i;
            JsonNode up = json.readTree(post("/upload/", token, "multipart/form-data; boundary=" + boundary,
                    multipart(boundary, splat.getFileName().toString(), Files.readAllBytes(splat)), 201));
            scene = up.path("scene_id").asText();
            events("/jobs/" + up.path("job_id").asText() + "/events", token);
        }
        JsonNode read = json.readTree(check("/scenes/" + scene, get("/scenes/" + scene, token)));
        if (!read.path("status").asText().equals("ready")) {
            throw new IOException("scene " + scene + " is " + read.path("status").asText() + ", not ready");
        }
        for (int round = 0; round < READ_ROUNDS; round++) {
            check("/scenes/{id}", get("/scenes/" + scene, token));
            if (round % 4 == 0) {
                check("/scenes", get("/scenes", token));
                check("/healthz", get("/healthz", null));
                check("/me", get("/me", token));
            }
            if (round % 20 == 0) {
                for (JsonNode f : read.path("files")) {
                    check("a scene file", getBytes("/scenes/" + scene + "/files/" + f.path("name").asText(), token));
                }
                check("/readyz", get("/readyz", null));
                check("/jobs", get("/jobs", token));
            }
        }
        post("/auth/refresh", null, "application/json", body(Map.of("refresh_token", refresh)), 200);
    }

    private HttpRequest.Builder request(String path, String token) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new IOException("the serve training ran past its deadline");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofNanos(Math.min(left, REQUEST_TIMEOUT.toNanos())));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return http.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> getBytes(String path, String token) throws IOException, InterruptedException {
        return http.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String post(String path, String token, String type, byte[] body, int expect)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request(path, token).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expect) {
            throw new IOException("POST " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** Follows a job's server-sent events until the server ends the stream (the job is done). */
    private void events(String path, String token) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = http.send(request(path, token).header("Accept", "text/event-stream").GET()
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                throw new IOException("GET " + path + ": " + r.statusCode());
            }
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!all.contains("event: end")) {
                throw new IOException("GET " + path + " ended without its end event");
            }
        }
    }

    private static <T> T check(String what, HttpResponse<T> r) throws IOException {
        if (r.statusCode() != 200) {
            throw new IOException("GET " + what + ": " + r.statusCode());
        }
        return r.body();
    }

    private byte[] body(Map<String, String> fields) throws IOException {
        return json.writeValueAsBytes(fields);
    }

    private static byte[] multipart(String boundary, String filename, byte[] data) {
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + data.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(data, 0, all, head.length, data.length);
        System.arraycopy(tail, 0, all, head.length + data.length, tail.length);
        return all;
    }
}
