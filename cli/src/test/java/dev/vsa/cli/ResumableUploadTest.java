package dev.vsa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vsa.processing.Limits;
import dev.vsa.processing.ProcessingConfig;
import dev.vsa.server.TestStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vsa upload} over the resumable (tus) routes through a relay that drops the connection mid-upload: the CLI
 * goes on by itself from the server's offset, and after a stopped run {@code --resume} does.
 */
class ResumableUploadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A 16 MB scene: large enough that the cut lands mid-body, small enough for a quick test. */
    private static byte[] scene;
    private static String sceneSha;
    private static TestStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStack.custom("tuscli", Map.of(ProcessingConfig.UPLOAD_MAX_BYTES, Long.toString(64L << 20),
                Limits.SIGNUP_MAX_PER_ADDRESS, "100000"), Map.of());
        scene = TestStack.splat(500_000, 77);
        sceneSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(scene));
    }

    @AfterAll
    static void stop() {
        // the custom stack stops at exit
    }

    @Test
    void upload_connectionDroppedAt60Percent_goesOnByItselfFromTheServersOffset(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("big.splat");
        Files.write(file, scene);
        try (CuttingProxy proxy = new CuttingProxy(stack.server.port(), scene.length * 6L / 10)) {
            Path creds = login(dir, "http://127.0.0.1:" + proxy.port());
            Cli.Result r = vsa(proxy, creds, "upload", file.toString(), "--resumable-above", "1MiB", "--retries", "3",
                    "--resume-dir", dir.resolve("state").toString(), "--json");
            assertEquals(0, r.exit(), r::toString);
            assertEquals(1, proxy.cuts(), "the relay dropped the upload once");
            // The rest only, not the file again: the second PATCH started at the server's offset.
            assertTrue(proxy.forwarded() < scene.length * 12L / 10, "sent " + proxy.forwarded() + " for " + scene.length);
            JsonNode up = JSON.readTree(r.out());
            assertEquals(sceneSha, storedSha(up.path("scene_id").asText()));
            assertEquals("splat", up.path("format").asText(), r::toString);
            assertEquals(scene.length, up.path("size").asLong());
            assertTrue(idempotencyKeyAndSha(up.path("scene_id").asText())[0].startsWith("vsa-"),
                    "the CLI sent an Idempotency-Key of its own");
        }
        assertTrue(listState(dir.resolve("state")).isEmpty(), "a finished upload is forgotten");
    }

    @Test
    void upload_serverAnswers503WhileRecovering_asksAgainAndFinishes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("big.splat");
        Files.write(file, scene);
        // after the cut, the next two connections get a proxy's 503 (the API restarting behind it)
        try (CuttingProxy proxy = new CuttingProxy(stack.server.port(), scene.length / 2, 2)) {
            Path creds = login(dir, "http://127.0.0.1:" + proxy.port());
            Cli.Result r = vsa(proxy, creds, "upload", file.toString(), "--resumable-above", "1MiB", "--retries", "5",
                    "--resume-dir", dir.resolve("state").toString(), "--json");
            assertEquals(0, r.exit(), r::toString);
            assertEquals(0, proxy.busyLeft(), "both 503s were answered");
            assertEquals(sceneSha, storedSha(JSON.readTree(r.out()).path("scene_id").asText()));
        }
    }

    @Test
    void upload_cliStoppedMidUpload_resumeGoesOnFromTheServersOffset(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("again.splat");
        Files.write(file, scene);
        Path state = dir.resolve("state");
        try (CuttingProxy proxy = new CuttingProxy(stack.server.port(), scene.length / 2)) {
            Path creds = login(dir, "http://127.0.0.1:" + proxy.port());
            // No retries: this run ends at the cut, as a CLI that was stopped would.
            Cli.Result first = vsa(proxy, creds, "upload", file.toString(), "--resumable-above", "0", "--retries", "0",
                    "--resume-dir", state.toString(), "--json");
            assertEquals(ExitCodes.IO, first.exit(), first::toString);
            List<Path> kept = listState(state);
            assertEquals(1, kept.size());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept.get(0))));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));

            // The server finishes the cut request (keeping what arrived) before the next run asks for the offset.
            assertTrue(stack.server.awaitIdle(java.time.Duration.ofSeconds(60)));
            long before = proxy.forwarded();
            Cli.Result second = vsa(proxy, creds, "upload", file.toString(), "--resume", "--resumable-above", "0",
                    "--resume-dir", state.toString(), "--json");
            assertEquals(0, second.exit(), second::toString);
            JsonNode up = JSON.readTree(second.out());
            long from = up.path("resumed_from").asLong();
            assertTrue(from > 0 && from <= scene.length / 2 + 1024, second::toString);
            assertTrue(proxy.forwarded() - before < scene.length * 6L / 10, "the second run sent the rest only");
            assertEquals(sceneSha, storedSha(up.path("scene_id").asText()));
        }
        assertTrue(listState(state).isEmpty());
    }

    @Test
    void upload_smallFile_multipartWithAnIdempotencyKeyOfItsOwn(@TempDir Path dir) throws Exception {
        Path creds = login(dir, stack.server.baseUrl());
        Path file = dir.resolve("small.splat");
        Files.write(file, TestStack.splat(100, 5));
        Cli.Result r = Cli.run("upload", file.toString(), "--json", "--server", stack.server.baseUrl(),
                "--credentials-file", creds.toString(), "--resume-dir", dir.resolve("state").toString());
        assertEquals(0, r.exit(), r::toString);
        String key = idempotencyKeyAndSha(JSON.readTree(r.out()).path("scene_id").asText())[0];
        assertTrue(key != null && key.startsWith("vsa-"), key);
    }

    @Test
    void upload_resumableWithProcessingOptions_theSceneCarriesThem(@TempDir Path dir) throws Exception {
        Path creds = login(dir, stack.server.baseUrl());
        Path file = dir.resolve("opts.splat");
        Files.write(file, TestStack.splat(100, 6));
        Cli.Result r = Cli.run("upload", file.toString(), "--json", "--resumable-above", "0", "--outputs", "spz",
                "--server", stack.server.baseUrl(), "--credentials-file", creds.toString(),
                "--resume-dir", dir.resolve("state").toString());
        assertEquals(0, r.exit(), r::toString);
        JsonNode up = JSON.readTree(r.out());
        assertEquals(0, up.path("resumed_from").asLong(), r::toString); // it went the resumable way
        assertEquals("[\"spz\"]", up.path("processing_options").path("outputs").toString(), r::toString);
    }

    @Test
    void resume_nothingToResume_saysSoAndWhatItDid(@TempDir Path dir) throws Exception {
        Path creds = login(dir, stack.server.baseUrl());
        Path file = dir.resolve("fresh.splat");
        Files.write(file, TestStack.splat(100, 8));
        String state = dir.resolve("state").toString();
        // resumable, but no earlier run left an upload of this file: a new one, and a line that says so
        Cli.Result r = Cli.run("upload", file.toString(), "--resume", "--resumable-above", "0", "--json",
                "--server", stack.server.baseUrl(), "--credentials-file", creds.toString(), "--resume-dir", state);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.err().contains("note: --resume: nothing to go on with for " + file), r::toString);
        assertTrue(r.err().contains("started a new upload"), r::toString);
        // small enough for a plain upload, which cannot be resumed: also said
        Cli.Result plain = Cli.run("upload", file.toString(), "--resume", "--server", stack.server.baseUrl(),
                "--credentials-file", creds.toString(), "--resume-dir", state);
        assertEquals(0, plain.exit(), plain::toString);
        assertTrue(plain.err().contains("is not over --resumable-above") && plain.err().contains("new scene"),
                plain::toString);
        Cli.Result direct = Cli.run("upload", file.toString(), "--resume", "--direct", "--server",
                stack.server.baseUrl(), "--credentials-file", creds.toString());
        assertEquals(ExitCodes.USAGE, direct.exit(), direct::toString);
    }

    @Test
    void resumableAbove_notASize_usageError() {
        Cli.Result r = Cli.run("upload", "x.splat", "--resumable-above", "lots");
        assertEquals(ExitCodes.USAGE, r.exit(), r::toString);
        assertTrue(r.err().contains("not a size"), r::toString);
    }

    // ---- helpers ----

    private static Cli.Result vsa(CuttingProxy proxy, Path creds, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--server");
        a.add("http://127.0.0.1:" + proxy.port());
        a.add("--credentials-file");
        a.add(creds.toString());
        return Cli.run(a.toArray(String[]::new));
    }

    /** Signs up and logs in a fresh user with the CLI at {@code server}. */
    private static Path login(Path dir, String server) throws Exception {
        Path creds = dir.resolve("credentials");
        String user = TestStack.newName("tuscli");
        String pw = "correct horse battery";
        assertEquals(0, Cli.run("signup", "-u", user, "-e", user + "@example.com", "--password", pw,
                "--server", server, "--credentials-file", creds.toString()).exit());
        assertEquals(0, Cli.run("login", "-u", user, "--password", pw, "--server", server,
                "--credentials-file", creds.toString()).exit());
        return creds;
    }

    private static List<Path> listState(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).toList();
        }
    }

    private static String storedSha(String sceneId) throws Exception {
        List<String> keys = stack.processing.store().list("scenes/" + sceneId + "/original/");
        assertEquals(1, keys.size(), keys.toString());
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = stack.processing.store().get(keys.get(0))) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The scene row's Idempotency-Key and SHA-256 (the latter once processed). */
    private static String[] idempotencyKeyAndSha(String sceneId) throws Exception {
        try (Connection c = DriverManager.getConnection(stack.processing.databaseUrl());
             PreparedStatement ps = c.prepareStatement("SELECT idempotency_key, sha256 FROM scenes WHERE id = ?::uuid")) {
            ps.setString(1, sceneId);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return new String[] {rs.getString(1), rs.getString(2)};
            }
        }
    }

    /**
     * A TCP relay on loopback to the API that drops its connection once, after relaying {@code cutAfter} bytes
     * from client to server in all (what a flaky network does); later connections go through.
     */
    static final class CuttingProxy implements AutoCloseable {
        private final ServerSocket server;
        private final int targetPort;
        private final long cutAfter;
        private final AtomicLong forwarded = new AtomicLong();
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();
        private final java.util.concurrent.atomic.AtomicInteger cuts = new java.util.concurrent.atomic.AtomicInteger();
        private volatile boolean closed;

        /** Connections after the cut answered 503 at once, without reaching the API. */
        private final java.util.concurrent.atomic.AtomicInteger busy;

        CuttingProxy(int targetPort, long cutAfter) throws IOException {
            this(targetPort, cutAfter, 0);
        }

        CuttingProxy(int targetPort, long cutAfter, int busyAfterCut) throws IOException {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.targetPort = targetPort;
            this.cutAfter = cutAfter;
            this.busy = new java.util.concurrent.atomic.AtomicInteger(busyAfterCut);
            Thread.ofVirtual().start(this::accept);
        }

        int busyLeft() {
            return Math.max(0, busy.get());
        }

        int port() {
            return server.getLocalPort();
        }

        int cuts() {
            return cuts.get();
        }

        long forwarded() {
            return forwarded.get();
        }

        private void accept() {
            while (!closed) {
                try {
                    Socket client = server.accept();
                    if (cuts.get() > 0 && busy.getAndDecrement() > 0) {
                        try (client; OutputStream out = client.getOutputStream()) {
                            out.write(("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close"
                                    + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        }
                        continue;
                    }
                    Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    open.add(client);
                    open.add(target);
                    Thread.ofVirtual().start(() -> pump(client, target, true));
                    Thread.ofVirtual().start(() -> pump(target, client, false));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void pump(Socket from, Socket to, boolean upstream) {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    if (upstream && cuts.get() == 0 && forwarded.get() + n >= cutAfter && cuts.compareAndSet(0, 1)) {
                        int part = (int) Math.max(0, cutAfter - forwarded.get());
                        out.write(buf, 0, part);
                        forwarded.addAndGet(part);
                        out.flush();
                        // every connection goes, not just this one (as when the API behind restarts): a client
                        // holding a second, idle keep-alive connection would otherwise go on through it without
                        // the new connection the 503s are for (seen under load: both 503s left unanswered)
                        open.forEach(CuttingProxy::quietly);
                        return;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                    if (upstream) {
                        forwarded.addAndGet(n);
                    }
                }
            } catch (IOException e) {
                // the other side closed
            } finally {
                quietly(from);
                quietly(to);
            }
        }

        private static void quietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        @Override
        public void close() throws IOException {
            closed = true;
            server.close();
            open.forEach(CuttingProxy::quietly);
        }
    }
}
