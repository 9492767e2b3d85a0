package dev.vsa.processing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The zero-install default: embedded PostgreSQL with its data under the vsa home. */
class EmbeddedDatabaseTest {
    @TempDir
    Path home;

    @Test
    void restart_keepsDataPortAndSurvivesStalePidFile() throws Exception {
        ProcessingConfig config = ProcessingConfig.load(Map.of(ProcessingConfig.JOBS_POLL, "200"), Map.of(), home);
        String url;
        try (Processing p = Processing.start(config)) {
            p.users().create("persist", "persist@example.org", "h");
            url = p.databaseUrl();
        }
        assertTrue(Files.isRegularFile(home.resolve("pg.port")));
        // a crash leaves postmaster.pid behind, naming a process that is gone
        Files.writeString(home.resolve("pg").resolve("postmaster.pid"), "999999\n" + home.resolve("pg") + "\n");
        try (Processing p = Processing.start(config)) {
            assertEquals(url, p.databaseUrl(), "same port after a restart");
            assertEquals("persist@example.org", p.users().findByUsername("persist").orElseThrow().email());
        }
    }

    @Test
    void twoProcessesOnOneHome_theLastToLeaveStopsTheServer() throws Exception {
        ProcessingConfig config = ProcessingConfig.load(Map.of(ProcessingConfig.JOBS_POLL, "200"), Map.of(), home);
        Path pid = home.resolve("pg").resolve("postmaster.pid");
        Processing first = Processing.start(config);
        long postmaster = Long.parseLong(Files.readAllLines(pid).get(0).trim());
        try (Processing second = Processing.start(config)) { // joins the running server (a restart overlapping the old one)
            first.close();
            assertTrue(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false),
                    "the first to leave keeps the server for the second");
            second.users().create("still", "still@example.org", "h");
        }
        assertFalse(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false), "the last to leave stops it");
        assertFalse(Files.exists(pid), "a clean shutdown");
        // (Starting again here would trip zonky's in-JVM lock, still held by the first instance: separate processes
        // in real use, where the lock goes with the JVM; restart_keepsDataPortAndSurvivesStalePidFile covers restarts.)
    }

    @Test
    void start_passwordRequiredPrivateFilesDurable() throws Exception {
        ProcessingConfig config = ProcessingConfig.load(Map.of(ProcessingConfig.JOBS_POLL, "200"), Map.of(), home);
        try (Processing p = Processing.start(config)) {
            int port = Integer.parseInt(Files.readString(home.resolve("pg.port")).trim());
            assertRefusedWithoutPassword(port);
            Path pw = home.resolve("pg.password");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pw)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("pg"))));
            String url = "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres&password="
                    + Files.readString(pw).strip();
            assertEquals("on", show(url, "fsync"), "vsa serve is durable by default");
            assertEquals("on", show(url, "synchronous_commit"));
            assertEquals("scram-sha-256", show(url, "password_encryption"));
            assertSocketAsksForPassword(show(url, "unix_socket_directories"), port);
        }
    }

    @Test
    void start_homeOfAnOlderVersion_getsAPassword() throws Exception {
        // What older versions left: a cluster made by zonky's defaults (initdb -A trust), no password file.
        int port;
        try (io.zonky.test.db.postgres.embedded.EmbeddedPostgres old = io.zonky.test.db.postgres.embedded.EmbeddedPostgres
                .builder().setDataDirectory(home.resolve("pg")).setCleanDataDirectory(false)
                .setRegisterShutdownHook(false).start()) {
            port = old.getPort();
            try (Connection c = DriverManager.getConnection(old.getJdbcUrl("postgres", "postgres"));
                 Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE kept");
            }
        }
        Files.writeString(home.resolve("pg.port"), port + "\n");
        ProcessingConfig config = ProcessingConfig.load(Map.of(ProcessingConfig.JOBS_POLL, "200"), Map.of(), home);
        try (Processing p = Processing.start(config)) {
            assertRefusedWithoutPassword(port);
            assertTrue(Files.isRegularFile(home.resolve("pg.password")));
            try (Connection c = DriverManager.getConnection(p.databaseUrl()); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = 'kept'")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1), "the old cluster's data is still there");
            }
        }
    }

    /** The server asks for the password (the driver then gives up without one) and refuses a wrong one. */
    private static void assertRefusedWithoutPassword(int port) {
        for (String host : new String[] {"localhost", "127.0.0.1"}) {
            SQLException none = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                    "jdbc:postgresql://" + host + ":" + port + "/postgres?user=postgres").close());
            assertTrue(String.valueOf(none.getMessage()).contains("password"), "a password is asked for: " + none);
            SQLException wrong = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                    "jdbc:postgresql://" + host + ":" + port + "/postgres?user=postgres&password=guess").close());
            assertEquals("28P01", wrong.getSQLState(), "a wrong password is refused: " + wrong);
        }
    }

    /**
     * A local account's other way in: the Unix socket (world-writable in /tmp). A password-less startup message
     * sent there must be answered with a scram challenge (SASL, 10), not AuthenticationOk (0) as trust would.
     */
    private static void assertSocketAsksForPassword(String socketDirectories, int port) throws IOException {
        int checked = 0;
        for (String dir : socketDirectories.split(",")) {
            Path socket = dir.isBlank() ? null : Path.of(dir.strip(), ".s.PGSQL." + port);
            if (socket == null || !Files.exists(socket)) {
                continue;
            }
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                byte[] params = "user\0postgres\0database\0postgres\0\0".getBytes(StandardCharsets.US_ASCII);
                ByteBuffer startup = ByteBuffer.allocate(8 + params.length);
                startup.putInt(8 + params.length).putInt(3 << 16).put(params).flip(); // protocol 3.0
                while (startup.hasRemaining()) {
                    ch.write(startup);
                }
                ByteBuffer answer = ByteBuffer.allocate(9); // 'R', length, authentication code
                while (answer.hasRemaining() && ch.read(answer) >= 0) {
                    // until the header is in or the server hangs up
                }
                answer.flip();
                assertEquals(9, answer.remaining(), "an authentication request on " + socket);
                assertEquals('R', (char) answer.get(), "an authentication request on " + socket);
                answer.getInt();
                assertEquals(10, answer.getInt(), "the socket " + socket + " asks for scram (10), not trust's 0");
            }
            checked++;
        }
        assertTrue(checked > 0 || socketDirectories.isBlank(), "no socket found in " + socketDirectories);
    }

    private static String show(String url, String setting) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
