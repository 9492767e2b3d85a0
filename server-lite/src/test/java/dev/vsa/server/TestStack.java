package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vsa.processing.Limits;
import dev.vsa.processing.Processing;
import dev.vsa.processing.ProcessingConfig;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real stack for end-to-end tests, one per test JVM: S3Proxy (filesystem blob store, signatures checked),
 * processing on embedded PostgreSQL with one worker, and the API on a free port. Also used by the cli module's
 * tests (server-lite's test-jar).
 */
public final class TestStack implements AutoCloseable {
    public static final String ACCESS_KEY = "vsa-test-access";
    public static final String SECRET_KEY = "vsa-test-secret-key-0123456789";
    public static final String BUCKET = "vsa-test";
    /** Small, so the oversize test is quick. */
    public static final long MAX_UPLOAD = 4L << 20;
    public static final String JWT_SECRET = "test-secret-test-secret-test-secret-0123456789";
    public static final ObjectMapper JSON = new ObjectMapper();

    /** The shared stack's server settings. */
    static final Map<String, String> SERVER_SETTINGS = Map.of(ServerConfig.PORT, "0", ServerConfig.BCRYPT_COST, "10",
            ServerConfig.JWT_SECRET, JWT_SECRET, ServerConfig.LOGIN_MAX_PER_ADDRESS, "1000",
            ServerConfig.SHUTDOWN_GRACE, "2");

    private static TestStack shared;
    private static final AtomicInteger USERS = new AtomicInteger();

    public final Path dir;
    public final S3Proxy s3;
    public final Processing processing;
    public final VsaServer server;
    public final ServerConfig config;
    public final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private static TestStack local;

    /** A second stack on the same embedded PostgreSQL (its own database) with local storage: files stream. */
    private TestStack(TestStack base) throws Exception {
        this(base, "local", Map.of(), Map.of());
    }

    /**
     * A stack on the shared embedded PostgreSQL (a database of its own, {@code vsa_<name>}) with local storage,
     * one worker, and these processing and server settings over the shared stack's.
     */
    private TestStack(TestStack base, String name, Map<String, String> processingExtra,
            Map<String, String> serverExtra) throws Exception {
        this.dir = Files.createDirectories(base.dir.resolve(name));
        this.s3 = null;
        String url = base.processing.databaseUrl();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
             java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE vsa_" + name);
        }
        Map<String, String> p = new HashMap<>();
        p.put(ProcessingConfig.HOME, dir.resolve("home").toString());
        p.put(ProcessingConfig.DATABASE_URL, url.replaceFirst("/postgres(\\?|$)", "/vsa_" + name + "$1"));
        p.put(ProcessingConfig.STORAGE_TYPE, "local");
        p.put(ProcessingConfig.UPLOAD_MAX_BYTES, Long.toString(MAX_UPLOAD));
        p.put(ProcessingConfig.JOBS_POLL, "200");
        p.put(Limits.SIGNUP_MAX_PER_ADDRESS, "100000");
        p.put(Limits.BACKGROUND_NICE, "0"); // timed waits in tests: never starve workers on a shared machine
        p.putAll(processingExtra);
        processing = Processing.start(ProcessingConfig.load(p, Map.of(), null));
        processing.startWorkers(1);
        if (serverExtra.isEmpty()) {
            config = base.config;
        } else {
            Map<String, String> sc = new HashMap<>(SERVER_SETTINGS);
            sc.putAll(serverExtra);
            config = ServerConfig.load(sc, Map.of(), base.dir);
        }
        server = VsaServer.start(config, processing);
    }

    /**
     * A stack of its own for tests that need other limits than the shared one (stopped at exit); {@code name}
     * must be unique in the JVM and a valid database name suffix.
     */
    public static TestStack custom(String name, Map<String, String> processingExtra, Map<String, String> serverExtra) {
        try {
            TestStack s = new TestStack(shared(), name, processingExtra, serverExtra);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                s.server.close();
                s.processing.close();
            }));
            return s;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test stack " + name, e);
        }
    }

    /**
     * A stack on these processing settings alone (its database and storage, e.g. containers), one worker and the
     * shared server settings; stopped at exit.
     */
    public static TestStack with(Map<String, String> processingSettings) {
        try {
            Path dir = Files.createTempDirectory("vsa-server-test-");
            Map<String, String> p = new HashMap<>();
            p.put(ProcessingConfig.HOME, dir.resolve("home").toString());
            p.put(Limits.SIGNUP_MAX_PER_ADDRESS, "100000");
            p.put(Limits.BACKGROUND_NICE, "0");
            p.put(ProcessingConfig.UPLOAD_MAX_BYTES, Long.toString(MAX_UPLOAD));
            p.put(ProcessingConfig.JOBS_POLL, "200");
            p.putAll(processingSettings);
            TestStack s = new TestStack(dir, ProcessingConfig.load(p, Map.of(), null));
            Runtime.getRuntime().addShutdownHook(new Thread(s::close));
            return s;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start a test stack on " + processingSettings.keySet(), e);
        }
    }

    private TestStack(Path dir, ProcessingConfig settings) throws Exception {
        this.dir = dir;
        this.s3 = null;
        processing = Processing.start(settings);
        processing.startWorkers(1);
        config = ServerConfig.load(SERVER_SETTINGS, Map.of(), dir);
        server = VsaServer.start(config, processing);
    }

    /** The local-storage stack of this JVM (see {@link #TestStack(TestStack)}). */
    public static synchronized TestStack local() {
        if (local == null) {
            try {
                local = new TestStack(shared());
                TestStack s = local;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    s.server.close();
                    s.processing.close();
                }));
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the local test stack", e);
            }
        }
        return local;
    }

    private TestStack(Path dir) throws Exception {
        this.dir = dir;
        Path blobs = Files.createDirectories(dir.resolve("s3"));
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", blobs.toString());
        BlobStoreContext ctx = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential")
                .overrides(props).buildView(BlobStoreContext.class);
        ctx.getBlobStore().createContainerInLocation(null, BUCKET);
        s3 = S3Proxy.builder().blobStore(ctx.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        s3.start();
        while (!AbstractLifeCycle.STARTED.equals(s3.getState())) {
            Thread.onSpinWait();
        }
        Map<String, String> p = new HashMap<>();
        p.put(ProcessingConfig.HOME, dir.resolve("home").toString());
        p.put(ProcessingConfig.STORAGE_TYPE, "s3");
        p.put(ProcessingConfig.S3_BUCKET, BUCKET);
        p.put(ProcessingConfig.S3_ENDPOINT, "http://127.0.0.1:" + s3.getPort());
        p.put(ProcessingConfig.S3_ACCESS_KEY, ACCESS_KEY);
        p.put(ProcessingConfig.S3_SECRET_KEY, SECRET_KEY);
        p.put(ProcessingConfig.EMBEDDED_DURABLE, "false"); // test data: zonky's fast settings
        p.put(Limits.SIGNUP_MAX_PER_ADDRESS, "100000"); // every test signs up from 127.0.0.1
        p.put(Limits.BACKGROUND_NICE, "0"); // timed waits in tests: never starve workers on a shared machine
        p.put(ProcessingConfig.UPLOAD_MAX_BYTES, Long.toString(MAX_UPLOAD));
        p.put(ProcessingConfig.JOBS_POLL, "200");
        // Webhook receivers in tests listen on loopback; the local() stack keeps the default and refuses them.
        p.put(ProcessingConfig.WEBHOOKS_ALLOW_PRIVATE, "true");
        processing = Processing.start(ProcessingConfig.load(p, Map.of(), null));
        processing.startWorkers(1);
        config = ServerConfig.load(SERVER_SETTINGS, Map.of(), dir);
        server = VsaServer.start(config, processing);
    }

    /** The stack of this JVM, started on first use and stopped at exit. */
    public static synchronized TestStack shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("vsa-server-test-");
                shared = new TestStack(dir);
                TestStack s = shared;
                Runtime.getRuntime().addShutdownHook(new Thread(s::close));
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the test stack", e);
            }
        }
        return shared;
    }

    public String url(String path) {
        return server.baseUrl() + path;
    }

    @Override
    public void close() {
        server.close();
        processing.close();
        try {
            if (s3 != null) {
                s3.stop();
            }
        } catch (Exception ignored) {
            // exiting anyway
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // temp dir
        }
    }

    // ---- client helpers ----

    /** A signed-up and logged-in user. */
    public record Account(String username, String password, String id, String access, String refresh) {
        public String bearer() {
            return "Bearer " + access;
        }
    }

    /** A fresh unique username. */
    public static String newName(String prefix) {
        return prefix + USERS.incrementAndGet() + "_" + Long.toHexString(UUID.randomUUID().getMostSignificantBits() & 0xffffff);
    }

    public Account newAccount(String prefix) throws Exception {
        String name = newName(prefix);
        String pw = "correct horse " + name;
        HttpResponse<String> r = postJson("/auth/signup", Map.of("username", name, "password", pw,
                "email", name + "@example.com"), null);
        if (r.statusCode() != 201) {
            throw new IllegalStateException("signup: " + r.statusCode() + " " + r.body());
        }
        String id = JSON.readTree(r.body()).path("id").asText();
        HttpResponse<String> l = postJson("/auth/login", Map.of("username", name, "password", pw), null);
        JsonNode t = JSON.readTree(l.body());
        return new Account(name, pw, id, t.path("access_token").asText(), t.path("refresh_token").asText());
    }

    public HttpResponse<String> postJson(String path, Object body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (bearer != null) {
            b.header("Authorization", bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).GET();
        if (bearer != null) {
            b.header("Authorization", bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> patchJson(String path, Object body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (bearer != null) {
            b.header("Authorization", bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> delete(String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).DELETE();
        if (bearer != null) {
            b.header("Authorization", bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POST /upload/ with one {@code file} part per (name, bytes) pair. */
    public HttpResponse<String> upload(String bearer, Object... nameBytes) throws Exception {
        String boundary = "b" + UUID.randomUUID();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < nameBytes.length; i += 2) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                    + nameBytes[i] + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write((byte[]) nameBytes[i + 1]);
            body.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url("/upload/")))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (bearer != null) {
            b.header("Authorization", bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Follows {@code GET /jobs/{id}/events} to its {@code end} event and returns the scene afterwards. */
    public JsonNode awaitScene(String bearer, String sceneId, String jobId) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url("/jobs/" + jobId + "/events")))
                .header("Authorization", bearer).GET().build();
        HttpResponse<Stream<String>> r = http.send(req, HttpResponse.BodyHandlers.ofLines());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("events: " + r.statusCode());
        }
        try (Stream<String> lines = r.body()) {
            if (lines.filter(l -> l.equals("event: end")).findFirst().isEmpty()) {
                throw new AssertionError("the event stream of job " + jobId + " ended without an 'end' event");
            }
        }
        return JSON.readTree(get("/scenes/" + sceneId, bearer).body());
    }

    /** A valid antimatter15 {@code .splat} of {@code n} splats (32 bytes each). */
    public static byte[] splat(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        ByteBuffer b = ByteBuffer.allocate(32 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat((float) r.nextDouble(-1, 1)).putFloat((float) r.nextDouble(-1, 1)).putFloat((float) r.nextDouble(-1, 1));
            b.putFloat(0.01f).putFloat(0.02f).putFloat(0.03f);
            b.put((byte) r.nextInt(256)).put((byte) r.nextInt(256)).put((byte) r.nextInt(256)).put((byte) 200);
            b.put((byte) 255).put((byte) 128).put((byte) 128).put((byte) 128);
        }
        return b.array();
    }

    /** A test resource's bytes. */
    public static byte[] resource(String name) throws IOException {
        try (var in = TestStack.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource fixtures/" + name);
            }
            return in.readAllBytes();
        }
    }
}
