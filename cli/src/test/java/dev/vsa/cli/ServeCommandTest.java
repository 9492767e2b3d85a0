package dev.vsa.cli;

import dev.vsa.server.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vsa serve} refusing to start: each way answers its exit code and one line, never a stack trace, and leaves
 * nothing running. (Starting and serving is covered by the topology and launcher tests, as processes.)
 */
class ServeCommandTest {
    @TempDir
    Path dir;

    private static void assertOneLineError(Cli.Result r, int exit, String says) {
        assertEquals(exit, r.exit(), r.toString());
        assertTrue(r.err().startsWith("error: "), r.toString());
        assertTrue(r.err().contains(says), r.toString());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
        assertEquals("", r.out(), r.toString());
    }

    @Test
    void serve_badLogFormat_usage() {
        assertOneLineError(Cli.run("serve", "--log-format", "xml", "--home", dir.toString()), 2, "--log-format");
    }

    @Test
    void serve_zeroWorkers_usage() {
        assertOneLineError(Cli.run("serve", "--workers", "0", "--home", dir.toString()), 2, "--workers must be >= 1");
    }

    /** The old flag's deprecation warning goes to the command's err (captured here), not the JVM's System.err. */
    @Test
    void serve_oldMaxUploadFlag_warnsOnTheCommandsErr() {
        Cli.Result r = Cli.run("serve", "--max-upload-bytes", "5", "--workers", "0", "--home", dir.toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().startsWith("warning: --max-upload-bytes is deprecated: use --upload-max-bytes"), r.toString());
        assertTrue(r.err().contains("error: --workers must be >= 1"), r.toString());
    }

    @Test
    void serve_portOutOfRange_usageNamingTheSetting() {
        assertOneLineError(Cli.run("serve", "--port", "70000", "--home", dir.toString()), 2, "port");
    }

    @Test
    void serve_badAccessTokenTtl_usage() {
        assertOneLineError(Cli.run("serve", "--access-token-ttl", "-1", "--home", dir.toString()), 2, "ttl");
    }

    /** The database is fine, the port is not: exit 3 naming the address, and the started processing is closed. */
    @Test
    void serve_portTaken_ioErrorNamingTheAddress() throws Exception {
        String admin = TestStack.shared().processing.databaseUrl();
        String name = "vsa_serve_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        String url = admin.replaceFirst("/postgres(\\?|$)", "/" + name + "$1");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            // what the JVM's own stderr gets meanwhile (the log lines): not Javalin's "Failed to start" before ours
            java.io.ByteArrayOutputStream jvmErr = new java.io.ByteArrayOutputStream();
            java.io.PrintStream saved = System.err;
            Cli.Result r;
            System.setErr(new java.io.PrintStream(jvmErr, true, java.nio.charset.StandardCharsets.UTF_8));
            try {
                r = Cli.run("serve", "--home", dir.resolve("home").toString(), "--database-url", url,
                        "--host", "127.0.0.1", "--port", Integer.toString(port), "--no-worker");
            } finally {
                System.setErr(saved);
            }
            assertOneLineError(r, 3, "cannot start the API on 127.0.0.1:" + port);
            assertEquals(1, r.err().lines().count(), r.toString());
            String logged = jvmErr.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertFalse(logged.contains("Failed to start"), logged);
        }
        // Its connections were closed with the processing it started: the database can be dropped at once.
        try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE " + name);
        }
        assertTrue(Files.isDirectory(dir.resolve("home")), "the home was made");
    }
}
