package dev.vsa.processing.internal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The zero-install database: real PostgreSQL binaries (zonky) with their data in a fixed directory under the
 * vsa home, so data survives restarts. The port is chosen once and kept in {@code <dir>.port}.
 *
 * <p>If a live postmaster already serves the directory (another vsa process on the same home, or one left
 * running by a killed JVM), this connects to it instead of starting a second one. Whichever process leaves
 * last stops it ({@link #stop()} is called only when no other vsa process is connected): a server restarted
 * while the old one still finishes its jobs keeps its database. A {@code postmaster.pid} whose process is gone is
 * stale (a crash) and is removed before starting.
 *
 * <p>Not open to other local users: the superuser has a random password kept in {@code <dir>.password} (mode 0600)
 * and {@code pg_hba.conf} asks every connection, TCP or Unix socket, for it with scram-sha-256; the data
 * directory is 0700. A new directory is created that way by initdb itself, so it is never open; a directory made by
 * an older vsa (trust authentication, no password file) is given a password and the same {@code pg_hba.conf} on its
 * next start. Durable by default (fsync and synchronous_commit on, where zonky's test defaults turn them off), so
 * a commit acknowledged is on disk; tests may ask for the fast settings.
 */
public final class EmbeddedDatabase {
    /** What pg_hba.conf holds: the password, by scram, for every kind of connection. */
    static final String HBA = """
            # Written by vsa: every connection gives the superuser's password (kept in the vsa home, mode 0600).
            local all all scram-sha-256
            host  all all 127.0.0.1/32 scram-sha-256
            host  all all ::1/128 scram-sha-256
            """;

    private final Path dataDir;
    private final int port;
    private final EmbeddedPostgres postgres;
    private final String password;

    private EmbeddedDatabase(Path dataDir, int port, EmbeddedPostgres postgres, String password) {
        this.dataDir = dataDir;
        this.port = port;
        this.postgres = postgres;
        this.password = password;
    }

    /**
     * Starts (or joins) the PostgreSQL of {@code dataDir}.
     *
     * @param port    the port, or 0 for the remembered one (a free one the first time)
     * @param durable fsync and synchronous_commit on (off only for tests)
     * @throws IOException if it cannot start
     */
    public static EmbeddedDatabase start(Path dataDir, int port, boolean durable) throws IOException {
        Files.createDirectories(dataDir.getParent());
        Path passwordFile = dataDir.resolveSibling(dataDir.getFileName() + ".password");
        Optional<String> saved = readPassword(passwordFile);
        String password = saved.orElseGet(EmbeddedDatabase::newPassword);
        if (saved.isEmpty()) {
            writePrivate(passwordFile, password + "\n");
        }
        boolean fresh = !Files.exists(dataDir.resolve("postgresql.conf"));
        Path portFile = dataDir.resolveSibling(dataDir.getFileName() + ".port");
        if (port == 0) {
            port = readPort(portFile).orElse(0);
        }
        if (port == 0) {
            port = freePort();
        }
        Files.writeString(portFile, port + "\n", StandardCharsets.UTF_8);
        Optional<Long> running = livePostmaster(dataDir);
        if (running.isPresent()) {
            EmbeddedDatabase joined = new EmbeddedDatabase(dataDir, port, null, password);
            joined.requirePassword();
            return joined;
        }
        Files.deleteIfExists(dataDir.resolve("postmaster.pid"));
        String sync = durable ? "on" : "off";
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "200")
                // zonky starts postgres with -F (fsync off) and synchronous_commit=off: test settings. These -c
                // options come after -F on its command line, so they win.
                .setServerConfig("fsync", sync)
                .setServerConfig("synchronous_commit", sync)
                .setServerConfig("full_page_writes", sync)
                // zonky's readiness probe connects as postgres: with the password once pg_hba asks for it.
                .setConnectConfig("password", password)
                // Not zonky's own hook: it would stop PostgreSQL while workers still run. Whoever started the
                // server closes it (Processing does so after its workers, also on SIGTERM).
                .setRegisterShutdownHook(false);
        if (fresh) {
            // zonky runs initdb -A trust; its locale options are passed to initdb as --key=value after that, so
            // these make the new cluster password-only from its first start.
            b.setLocaleConfig("auth", "scram-sha-256").setLocaleConfig("pwfile", passwordFile.toString());
        }
        EmbeddedPostgres pg = b.start();
        EmbeddedDatabase db = new EmbeddedDatabase(dataDir, port, pg, password);
        try {
            db.requirePassword();
        } catch (IOException | RuntimeException e) {
            pg.close();
            throw e;
        }
        return db;
    }

    /**
     * Makes sure the server asks for the password: a directory an older vsa made (trust, no password file) gets
     * the superuser's password set and vsa's {@code pg_hba.conf}, reloaded; the data directory is made 0700.
     */
    private void requirePassword() throws IOException {
        Path hba = dataDir.resolve("pg_hba.conf");
        String current = Files.exists(hba) ? Files.readString(hba, StandardCharsets.UTF_8) : "";
        if (!current.equals(HBA)) {
            try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement s = c.createStatement()) {
                s.execute("SET password_encryption = 'scram-sha-256'");
                s.execute("ALTER ROLE postgres PASSWORD '" + password + "'"); // hex digits only
                writePrivate(hba, HBA);
                s.execute("SELECT pg_reload_conf()");
            } catch (SQLException e) {
                throw new IOException("cannot secure the embedded PostgreSQL in " + dataDir + " (" + e.getMessage()
                        + "); its password is kept in " + dataDir.resolveSibling(dataDir.getFileName() + ".password"), e);
            }
        }
        try {
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the directory inherits the home's ACL
        }
    }

    private static Optional<String> readPassword(Path file) throws IOException {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static String newPassword() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Writes {@code text} to {@code file} with mode 0600 from the start (temp file, then an atomic rename). */
    private static void writePrivate(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The pid in {@code postmaster.pid} if that process is alive and a postgres. */
    private static Optional<Long> livePostmaster(Path dataDir) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(true))
                .map(p -> pid);
    }

    private static Optional<Integer> readPort(Path portFile) throws IOException {
        try {
            return Optional.of(Integer.parseInt(Files.readString(portFile, StandardCharsets.UTF_8).trim()));
        } catch (NoSuchFileException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** JDBC URL of the {@code postgres} database as superuser {@code postgres}, with its password. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres&password=" + password;
    }

    /** Whether this process started the server (and so must stop it), rather than joining a running one. */
    public boolean startedHere() {
        return postgres != null;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * Stops PostgreSQL, whether this process started it or joined it; the caller has checked that no other
     * process still uses it.
     */
    public void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
            return;
        }
        Optional<ProcessHandle> postmaster = livePostmaster(dataDir).flatMap(ProcessHandle::of);
        if (postmaster.isPresent()) {
            postmaster.get().destroy(); // SIGTERM: PostgreSQL's "smart" shutdown, clean on disk
            try {
                postmaster.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IOException("embedded PostgreSQL (pid " + postmaster.get().pid() + ") did not stop", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
