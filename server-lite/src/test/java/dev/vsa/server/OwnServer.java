package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.processing.Processing;
import dev.vsa.processing.ProcessingConfig;
import dev.vsa.processing.storage.LocalObjectStore;
import dev.vsa.processing.storage.ObjectStore;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static dev.vsa.server.TestStack.JSON;

/**
 * A server of a test's own (own database on the test PostgreSQL, local store, one worker, own settings), for
 * tests that break a dependency or need other limits than the shared {@link TestStack}.
 */
final class OwnServer implements AutoCloseable {
    final Processing processing;
    final VsaServer server;
    final String dbUrl;
    final HttpClient http = HttpClient.newHttpClient();

    /**
     * @param settings processing settings on top of the defaults
     * @param store    wraps the local store (a switchable one), or returns it
     */
    OwnServer(Map<String, String> settings, UnaryOperator<ObjectStore> store) throws Exception {
        this(settings, store, 1);
    }

    /** As {@link #OwnServer(Map, UnaryOperator)} with {@code workers} job workers (0: an API alone, --no-worker). */
    OwnServer(Map<String, String> settings, UnaryOperator<ObjectStore> store, int workers) throws Exception {
        TestStack base = TestStack.shared();
        String admin = base.processing.databaseUrl();
        String name = "vsa_own_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        dbUrl = admin.replaceFirst("/postgres(\\?|$)", "/" + name + "$1");
        Path dir = Files.createTempDirectory(base.dir, "own-");
        Map<String, String> p = new HashMap<>(settings);
        p.put(ProcessingConfig.HOME, dir.resolve("home").toString());
        p.put(ProcessingConfig.DATABASE_URL, dbUrl);
        p.putIfAbsent(ProcessingConfig.JOBS_POLL, "200");
        p.putIfAbsent(dev.vsa.processing.Limits.BACKGROUND_NICE, "0"); // never starve workers on a shared machine
        processing = Processing.start(ProcessingConfig.load(p, Map.of(), null),
                store.apply(new LocalObjectStore(dir.resolve("objects"))));
        if (workers > 0) {
            processing.startWorkers(workers);
        }
        server = VsaServer.start(base.config, processing);
    }

    String url(String path) {
        return server.baseUrl() + path;
    }

    HttpResponse<String> get(String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).GET();
        if (bearer != null) {
            b.header("Authorization", bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> upload(String bearer, String name, byte[] content) throws Exception {
        String boundary = "own" + UUID.randomUUID();
        return http.send(HttpRequest.newBuilder(URI.create(url("/upload/")))
                .header("Authorization", bearer).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(SceneApiTest.multipart(boundary, name, content))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Signs up and logs in a fresh user; returns its bearer header value. */
    String account() throws Exception {
        String name = TestStack.newName("own");
        String pw = "correct horse " + name;
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url("/auth/signup")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(
                        JSON.writeValueAsBytes(Map.of("username", name, "password", pw, "email", name + "@example.com"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("signup: " + r.statusCode() + " " + r.body());
        }
        HttpResponse<String> l = http.send(HttpRequest.newBuilder(URI.create(url("/auth/login")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(
                        JSON.writeValueAsBytes(Map.of("username", name, "password", pw))))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode t = JSON.readTree(l.body());
        return "Bearer " + t.path("access_token").asText();
    }

    @Override
    public void close() {
        server.close();
        processing.close();
    }
}
