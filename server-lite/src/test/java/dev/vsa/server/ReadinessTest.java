package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.processing.Processing;
import dev.vsa.processing.ProcessingConfig;
import dev.vsa.processing.storage.LocalObjectStore;
import dev.vsa.processing.storage.ObjectInfo;
import dev.vsa.processing.storage.ObjectStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import static dev.vsa.server.AuthApiTest.assertProblem;
import static dev.vsa.server.TestStack.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /readyz} and the 503 mapping when a dependency fails: the database refusing queries, the store
 * unreachable, the workers unable to claim jobs. A server of its own (its own database on the test PostgreSQL,
 * a local store that can be switched off) so breaking it disturbs no other test.
 */
class ReadinessTest {
    /** A real local store that answers every call with an I/O error while {@code down}, as an unreachable bucket. */
    static final class SwitchableStore implements ObjectStore {
        final ObjectStore d;
        volatile boolean down;

        SwitchableStore(ObjectStore d) {
            this.d = d;
        }

        private void check() throws IOException {
            if (down) {
                throw new IOException("injected: storage unreachable");
            }
        }

        @Override
        public long put(String key, InputStream in, long length, String contentType) throws IOException {
            check();
            return d.put(key, in, length, contentType);
        }

        @Override
        public InputStream get(String key, long offset, long length) throws IOException {
            check();
            return d.get(key, offset, length);
        }

        @Override
        public Optional<ObjectInfo> stat(String key) throws IOException {
            check();
            return d.stat(key);
        }

        @Override
        public void delete(String key) throws IOException {
            check();
            d.delete(key);
        }

        @Override
        public List<String> list(String prefix) throws IOException {
            check();
            return d.list(prefix);
        }

        @Override
        public Optional<URI> presignGet(String key, Duration ttl, String downloadName) throws IOException {
            check();
            return d.presignGet(key, ttl, downloadName);
        }

        @Override
        public void close() {
            d.close();
        }
    }

    static SwitchableStore store;
    static OwnServer own;
    static VsaServer server;
    static String dbUrl;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        own = new OwnServer(Map.of(), local -> store = new SwitchableStore(local));
        server = own.server;
        dbUrl = own.dbUrl;
    }

    @AfterAll
    static void stop() {
        own.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(dbUrl); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    /** Polls /readyz until it answers as {@code expected} (bounded: a minute). */
    private static JsonNode readyzUntil(int status, Predicate<JsonNode> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> r = get("/readyz");
            JsonNode j = JSON.readTree(r.body());
            if (r.statusCode() == 503) { // load balancers and clients back off by it
                assertEquals("5", r.headers().firstValue("Retry-After").orElse(""), "503 without Retry-After");
            }
            if (r.statusCode() == status && expected.test(j)) {
                return j;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("/readyz still " + r.statusCode() + " " + r.body());
            }
            Thread.sleep(50);
        }
    }

    @Test
    void readyz_allUp_200WithWorkersOk() throws Exception {
        JsonNode j = readyzUntil(200, x -> true);
        assertEquals("ok", j.path("database").asText());
        assertEquals("ok", j.path("storage").asText());
        assertEquals("ok", j.path("workers").asText());
        assertEquals("ok", j.path("status").asText());
    }

    @Test
    void storageDown_readyz503NamingIt_uploadAnswers503ProblemWithRetryAfter() throws Exception {
        String bearer = account();
        store.down = true;
        try {
            JsonNode j = readyzUntil(503, x -> true);
            assertTrue(j.path("storage").asText().contains("storage unreachable"), j.toString());
            assertEquals("ok", j.path("database").asText());
            assertEquals("unavailable", j.path("status").asText());

            String boundary = "rb";
            byte[] body = SceneApiTest.multipart(boundary, "s.splat", TestStack.splat(10, 3));
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/upload/"))
                    .header("Authorization", bearer).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, r.statusCode(), r.body());
            assertProblem(r, "unavailable");
            assertEquals("5", r.headers().firstValue("Retry-After").orElse(""));
        } finally {
            store.down = false;
        }
        readyzUntil(200, x -> x.path("storage").asText().equals("ok"));
    }

    @Test
    void databaseRefusesQueries_readyz503NamingIt() throws Exception {
        sql("ALTER TABLE users RENAME TO users_away");
        try {
            JsonNode j = readyzUntil(503, x -> !x.path("database").asText().equals("ok"));
            assertTrue(j.path("database").asText().contains("database"), j.toString());
        } finally {
            sql("ALTER TABLE users_away RENAME TO users");
        }
        readyzUntil(200, x -> x.path("database").asText().equals("ok"));
    }

    @Test
    void workersCannotClaim_readyz503WithTheWorkersProblemAndCounts_thenReadyAgain() throws Exception {
        sql("ALTER TABLE jobs RENAME TO jobs_away");
        try {
            JsonNode j = readyzUntil(503, x -> x.path("workers").asText().contains("claiming jobs fails"));
            assertEquals("ok", j.path("database").asText(), "the API's own reads still work");
            assertTrue(j.path("worker_failures").path("claim").asLong() >= 1, j.toString());
            assertTrue(j.path("worker_failures").path("last").asText().contains("jobs"), j.toString());
        } finally {
            sql("ALTER TABLE jobs_away RENAME TO jobs");
        }
        JsonNode j = readyzUntil(200, x -> x.path("workers").asText().equals("ok"));
        assertTrue(j.path("worker_failures").path("claim").asLong() >= 1, "the counts stay for the operator");
    }

    private static String account() throws Exception {
        return own.account();
    }
}
