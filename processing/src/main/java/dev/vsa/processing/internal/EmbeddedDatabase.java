package dev.vsa.processing.internal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
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
 */
public final class EmbeddedDatabase {
    private final Path dataDir;
    private final int port;
    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(Path dataDir, int port, EmbeddedPostgres postgres) {
        this.dataDir = dataDir;
        this.port = port;
        this.postgres = postgres;
    }

    /**
     * Starts (or joins) the PostgreSQL of {@code dataDir}.
     *
     * @param port the port, or 0 for the remembered one (a free one the first time)
     * @throws IOException if it cannot start
     */
    public static EmbeddedDatabase start(Path dataDir, int port) throws IOException {
        Files.createDirectories(dataDir.getParent());
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
            return new EmbeddedDatabase(dataDir, port, null);
        }
        Files.deleteIfExists(dataDir.resolve("postmaster.pid"));
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "200")
                // Not zonky's own hook: it would stop PostgreSQL while workers still run. Whoever started the
                // server closes it (Processing does so after its workers, also on SIGTERM).
                .setRegisterShutdownHook(false)
                .start();
        return new EmbeddedDatabase(dataDir, port, pg);
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

    /** JDBC URL of the {@code postgres} database as superuser {@code postgres}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
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
