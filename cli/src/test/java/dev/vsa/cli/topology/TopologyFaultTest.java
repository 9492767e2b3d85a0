package dev.vsa.cli.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vsa.processing.ProcessingConfig;
import dev.vsa.processing.internal.EmbeddedDatabase;
import dev.vsa.processing.storage.ObjectInfo;
import dev.vsa.processing.storage.ObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scale-out topology under faults, every part a process of its own: two APIs ({@code vsa serve --no-worker})
 * and three workers ({@code vsa worker}) on one PostgreSQL (127.0.0.1:5432 when it answers, else an embedded one)
 * reached through a {@link TcpProxy} the test can cut, and one S3 server ({@link S3ServerMain}) the test stops and
 * starts. 50 scenes are uploaded across both APIs while one worker is SIGKILLed in the middle of a job, the database
 * is unreachable for 10 s (APIs answer 503 with Retry-After) and the S3 server is down for 10 s (uploads answer 503).
 * Afterwards every scene acknowledged with 201 is {@code ready} with all its objects, each has exactly one process
 * job (succeeded), no scene exists that was not acknowledged, and the killed worker's job finished elsewhere.
 * Bounded: the whole test is cut off after 170 s.
 */
class TopologyFaultTest {
    private static final int SCENES = 50;
    private static final int SPLATS = 15_000;
    private static final String ACCESS = "topology-access";
    private static final String SECRET = "topology-secret-0123456789";
    private static final String BUCKET = "vsa-topology";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Each process's stderr, kept after the run (target/topology-logs). */
    private static final Path LOGS = Path.of("target", "topology-logs");
    private static final Pattern API_LINE = Pattern.compile("vsa API on (http://\\S+)");

    @TempDir
    Path dir;

    private final List<Child> children = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private EmbeddedDatabase embedded;

    @AfterEach
    void stopAll() throws IOException {
        for (Child c : children) {
            c.process.destroyForcibly();
        }
        if (embedded != null) {
            embedded.stop();
        }
    }

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void scenes_workerKilledDatabaseCutStorageStopped_eachReadyOnceWithAllOutputs() throws Exception {
        long t0 = System.nanoTime();
        String admin = adminUrl();
        String dbName = "vsa_topology_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + dbName);
        }
        String direct = withDatabase(admin, dbName);
        URI pgUri = URI.create(admin.substring("jdbc:".length()));
        Map<String, String> notes = new java.util.LinkedHashMap<>() {
            @Override
            public String put(String k, String v) {
                System.out.println("topology: " + k + ": " + v + " (at " + secondsSince(t0) + ")");
                return super.put(k, v);
            }
        };
        try (TcpProxy pg = new TcpProxy(pgUri.getHost(), pgUri.getPort())) {
            int s3Port = freePort();
            Path s3Dir = Files.createDirectories(dir.resolve("s3").resolve(BUCKET)).getParent();
            Child s3 = start("s3", List.of(S3ServerMain.class.getName(), Integer.toString(s3Port), s3Dir.toString(),
                    ACCESS, SECRET), Map.of());
            s3.await("ready", Duration.ofSeconds(60));

            Map<String, String> env = new HashMap<>();
            env.put("VSA_DATABASE_URL", withDatabase(admin, dbName).replace(":" + pgUri.getPort() + "/", ":" + pg.port() + "/"));
            env.put("VSA_DATABASE_POOL_SIZE", "4");
            env.put("VSA_S3_BUCKET", BUCKET);
            env.put("VSA_S3_ENDPOINT", "http://127.0.0.1:" + s3Port);
            env.put("VSA_S3_ACCESS_KEY", ACCESS);
            env.put("VSA_S3_SECRET_KEY", SECRET);
            env.put("VSA_JWT_SECRET", "topology-jwt-secret-0123456789-0123456789");
            env.put("VSA_JOBS_LEASE_SECONDS", "3");
            env.put("VSA_JOBS_MAX_ATTEMPTS", "12");
            env.put("VSA_JOBS_RETRY_BASE_MS", "500");
            env.put("VSA_JOBS_POLL_MS", "250");
            // All five start at once: the migration lock lets one migrate while the others wait.
            List<Child> apis = new ArrayList<>();
            List<Child> workers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                apis.add(start("api" + i, List.of("dev.vsa.cli.Main", "serve", "-x", "--no-worker", "--port", "0"),
                        home(env, "api" + i)));
            }
            for (int i = 0; i < 3; i++) {
                workers.add(start("worker" + i, List.of("dev.vsa.cli.Main", "worker", "-x", "--concurrency", "1",
                        "--metrics-port", "-1", "--grace", "0"), home(env, "worker" + i)));
            }
            List<String> bases = new ArrayList<>();
            // Five JVMs start at once: on a 2-core machine shared with other builds (load 25) the first API had
            // printed nothing after 90 s, so the bound is generous; a quiet machine starts them in a few seconds.
            Duration startup = Duration.ofSeconds(240);
            for (Child a : apis) {
                Matcher m = API_LINE.matcher(a.await("vsa API on", startup));
                assertTrue(m.find());
                bases.add(m.group(1));
            }
            for (Child w : workers) {
                w.await("vsa worker:", startup);
            }
            notes.put("started", secondsSince(t0));
            String token = signup(bases.get(0));

            // Uploads: 4 clients, alternating APIs; a 503 is retried after a short pause (bounded per scene).
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger uploads503 = new AtomicInteger();
            AtomicInteger started = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < SCENES; i++) {
                int n = i;
                done.add(clients.submit(() -> {
                    started.incrementAndGet();
                    byte[] body = splat(SPLATS, n);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                    while (true) {
                        // A 503 whose commit went through after all (the connection cut while committing) must not make a second
                        // scene: every retry of this scene carries the same key.
                        HttpResponse<String> r = upload(bases.get(n % 2), token, "scene-" + n + ".splat", body, "scene-" + n);
                        if (r.statusCode() == 201) {
                            acknowledged.add(JSON.readTree(r.body()).path("scene_id").asText());
                            return null;
                        }
                        if (r.statusCode() != 503 || r.headers().firstValue("Retry-After").isEmpty()
                                || System.nanoTime() > deadline) {
                            throw new AssertionError("upload " + n + ": " + r.statusCode() + " " + r.body());
                        }
                        uploads503.incrementAndGet();
                        Thread.sleep(500);
                    }
                }));
            }

            // Fault 1: SIGKILL worker 0 while it holds a job.
            long pid = workers.get(0).process.pid();
            UUID killedJob = awaitRunningJobOf(direct, pid, Duration.ofSeconds(60));
            workers.get(0).process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            notes.put("worker killed mid-job", secondsSince(t0) + " (job " + killedJob + ")");

            // Fault 2: the database unreachable for 10 s; both APIs answer 503 + Retry-After, readiness says so.
            awaitCount(started, 20);
            pg.cut();
            long cutEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            AtomicInteger probes = new AtomicInteger();
            List<Future<?>> probing = new ArrayList<>();
            ExecutorService probers = Executors.newVirtualThreadPerTaskExecutor();
            for (String base : bases) {
                for (String path : List.of("/scenes", "/readyz")) {
                    probing.add(probers.submit(() -> {
                        while (System.nanoTime() < cutEnd) {
                            HttpResponse<String> r = get(base + path, path.equals("/readyz") ? null : token);
                            if (System.nanoTime() >= cutEnd) {
                                break; // answered after the database came back
                            }
                            assertEquals(503, r.statusCode(), "GET " + path + " with the database cut: " + r.body());
                            assertTrue(path.equals("/readyz") || r.headers().firstValue("Retry-After").isPresent(),
                                    "Retry-After on " + path);
                            probes.incrementAndGet();
                            Thread.sleep(200);
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> f : probing) {
                f.get(40, TimeUnit.SECONDS);
            }
            probers.shutdown();
            pg.restore();
            notes.put("database cut", "10 s, " + probes.get() + " probes of /scenes and /readyz on both APIs answered 503 (+ Retry-After on the API)");

            // Fault 3: the S3 server stopped for 10 s; uploads answer 503, then it comes back on the same data.
            awaitCount(started, 35);
            s3.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            long s3End = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int refused = 0;
            while (System.nanoTime() < s3End) {
                HttpResponse<String> r = upload(bases.get(refused % 2), token, "probe.splat", splat(100, 7),
                        UUID.randomUUID().toString());
                assertEquals(503, r.statusCode(), "upload with the S3 server down: " + r.body());
                assertTrue(r.headers().firstValue("Retry-After").isPresent());
                refused++;
                Thread.sleep(500);
            }
            s3 = start("s3-again", List.of(S3ServerMain.class.getName(), Integer.toString(s3Port), s3Dir.toString(),
                    ACCESS, SECRET), Map.of());
            s3.await("ready", Duration.ofSeconds(60));
            notes.put("S3 stopped", "10 s, " + refused + " probe uploads answered 503");

            for (Future<?> f : done) {
                f.get(90, TimeUnit.SECONDS);
            }
            clients.shutdown();
            assertEquals(SCENES, acknowledged.size());
            notes.put("uploads acknowledged", acknowledged.size() + " with 201");
            awaitAllSettled(direct, Duration.ofSeconds(90));
            notes.put("all settled", secondsSince(t0));

            try (Connection c = DriverManager.getConnection(direct); Statement s = c.createStatement()) {
                Set<String> rows = ConcurrentHashMap.newKeySet();
                try (ResultSet rs = s.executeQuery("SELECT id, status FROM scenes")) {
                    while (rs.next()) {
                        rows.add(rs.getString(1));
                        assertEquals("ready", rs.getString(2), "scene " + rs.getString(1));
                    }
                }
                assertEquals(acknowledged, rows, "scenes in the database vs uploads acknowledged with 201");
                try (ResultSet rs = s.executeQuery("SELECT scene_id, count(*), count(*) FILTER (WHERE state = 'succeeded') "
                        + "FROM jobs GROUP BY scene_id")) {
                    int n = 0;
                    while (rs.next()) {
                        assertEquals(1, rs.getInt(2), "jobs of scene " + rs.getString(1));
                        assertEquals(1, rs.getInt(3), "succeeded jobs of scene " + rs.getString(1));
                        n++;
                    }
                    assertEquals(SCENES, n);
                }
                try (ResultSet rs = s.executeQuery("SELECT state, attempts, lease_owner FROM jobs WHERE id = '" + killedJob + "'")) {
                    assertTrue(rs.next());
                    assertEquals("succeeded", rs.getString(1));
                    assertTrue(rs.getInt(2) >= 2, "the killed worker's job ran again elsewhere: attempts " + rs.getInt(2));
                    assertFalse(String.valueOf(rs.getString(3)).startsWith(pid + "@"), "finished by the killed worker?");
                }
                Map<Integer, Integer> attempts = new java.util.TreeMap<>();
                try (ResultSet rs = s.executeQuery("SELECT attempts, count(*) FROM jobs GROUP BY attempts")) {
                    while (rs.next()) {
                        attempts.put(rs.getInt(1), rs.getInt(2));
                    }
                }
                notes.put("job attempts (attempts=jobs)", attempts.toString());
                // Every file row has its object, at its size: originals and outputs.
                ProcessingConfig storage = ProcessingConfig.load(Map.of(ProcessingConfig.S3_BUCKET, BUCKET,
                        ProcessingConfig.S3_ENDPOINT, "http://127.0.0.1:" + s3Port, ProcessingConfig.S3_ACCESS_KEY, ACCESS,
                        ProcessingConfig.S3_SECRET_KEY, SECRET), Map.of(), dir.resolve("checker"));
                int originals = 0;
                int outputs = 0;
                try (ObjectStore store = ObjectStore.open(storage.storage());
                     ResultSet rs = s.executeQuery("SELECT scene_id, kind, storage_key, size_bytes FROM scene_files")) {
                    while (rs.next()) {
                        Optional<ObjectInfo> o = store.stat(rs.getString(3));
                        assertTrue(o.isPresent(), "no object for " + rs.getString(3));
                        assertEquals(rs.getLong(4), o.get().size(), rs.getString(3));
                        if (rs.getString(2).equals("original")) {
                            originals++;
                        } else {
                            outputs++;
                        }
                    }
                }
                assertEquals(SCENES, originals);
                assertTrue(outputs >= 2 * SCENES, "outputs: " + outputs);
                notes.put("objects checked", originals + " originals, " + outputs + " outputs/reports");
            }
            notes.put("upload retries after 503", Integer.toString(uploads503.get()));
            notes.put("total", secondsSince(t0));
            System.out.println("topology fault run: " + notes);
        }
    }

    // ---- processes

    private final class Child {
        final String name;
        final Process process;
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Child(String name, Process process) {
            this.name = name;
            this.process = process;
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        lines.add(l);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
        }

        String await(String prefix, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String l = lines.poll(200, TimeUnit.MILLISECONDS);
                if (l != null && l.contains(prefix)) {
                    return l;
                }
                if (l == null && !process.isAlive()) {
                    break;
                }
            }
            throw new AssertionError(name + " did not print '" + prefix + "' (alive: " + process.isAlive() + "); its log: "
                    + tail(LOGS.resolve(name + ".log")));
        }
    }

    private Child start(String name, List<String> mainAndArgs, Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(mainAndArgs);
        Files.createDirectories(LOGS);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(LOGS.resolve(name + ".log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("VSA_"));
        pb.environment().putAll(env);
        Child c = new Child(name, pb.start());
        children.add(c);
        return c;
    }

    private Map<String, String> home(Map<String, String> env, String name) throws IOException {
        Map<String, String> m = new HashMap<>(env);
        m.put("VSA_HOME", Files.createDirectories(dir.resolve("home-" + name)).toString());
        return m;
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.substring(Math.max(0, s.length() - 2000));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    // ---- database

    private String adminUrl() throws IOException {
        String local = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
        try (Socket probe = new Socket()) {
            probe.connect(new java.net.InetSocketAddress("127.0.0.1", 5432), 500);
            try (Connection c = DriverManager.getConnection(local)) {
                return local;
            }
        } catch (IOException | SQLException absent) {
            embedded = EmbeddedDatabase.start(dir.resolve("pg"), 0, false);
            return embedded.jdbcUrl();
        }
    }

    private static String withDatabase(String url, String db) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        return base.substring(0, base.lastIndexOf('/') + 1) + db + (q < 0 ? "" : url.substring(q));
    }

    private static UUID awaitRunningJobOf(String url, long pid, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery("SELECT id FROM jobs WHERE state = 'running' AND lease_owner LIKE '"
                        + pid + "@%' LIMIT 1")) {
                    if (rs.next()) {
                        return UUID.fromString(rs.getString(1));
                    }
                } catch (SQLException notYetMigrated) {
                    // the jobs table appears with the first start
                }
                Thread.sleep(5);
            }
        }
        throw new AssertionError("worker " + pid + " never ran a job");
    }

    private static void awaitAllSettled(String url, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE status NOT IN ('ready', 'invalid', 'failed')),"
                        + " count(*) FROM scenes")) {
                    rs.next();
                    last = rs.getInt(1) + " of " + rs.getInt(2) + " not settled";
                    if (rs.getInt(1) == 0 && rs.getInt(2) == SCENES) {
                        return;
                    }
                }
                Thread.sleep(250);
            }
        }
        throw new AssertionError("scenes did not settle: " + last);
    }

    private static void awaitCount(AtomicInteger n, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (n.get() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    // ---- HTTP

    private String signup(String base) throws Exception {
        String body = "{\"username\":\"topology\",\"email\":\"topology@example.com\",\"password\":\"correct horse topology\"}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/auth/signup"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        HttpResponse<String> l = http.send(HttpRequest.newBuilder(URI.create(base + "/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"topology\",\"password\":\"correct horse topology\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode t = JSON.readTree(l.body());
        return t.path("access_token").asText();
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POST /upload/ with one file; {@code key} is the Idempotency-Key (the same on every retry of one scene). */
    private HttpResponse<String> upload(String base, String token, String name, byte[] data, String key) throws Exception {
        String boundary = "b" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(data);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create(base + "/upload/")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A valid antimatter15 .splat: 32 bytes a splat (position, linear scale, RGBA, quantised rotation). */
    private static byte[] splat(int n, long seed) {
        Random r = new Random(seed);
        ByteBuffer b = ByteBuffer.allocate(n * 32).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(r.nextFloat() * 4 - 2).putFloat(r.nextFloat() * 4 - 2).putFloat(r.nextFloat() * 4 - 2);
            b.putFloat(0.01f + r.nextFloat() * 0.05f).putFloat(0.01f + r.nextFloat() * 0.05f).putFloat(0.01f + r.nextFloat() * 0.05f);
            b.put((byte) r.nextInt(256)).put((byte) r.nextInt(256)).put((byte) r.nextInt(256)).put((byte) (64 + r.nextInt(192)));
            b.put((byte) 255).put((byte) 128).put((byte) 128).put((byte) 128);
        }
        return b.array();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String secondsSince(long t0) {
        return String.format("%.1f s", (System.nanoTime() - t0) / 1e9);
    }
}
