package dev.vsa.processing.internal;

import dev.vsa.processing.ProcessingTestSupport;
import dev.vsa.processing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Migrations at start-up when several processes of one deployment start at once, on a real PostgreSQL. */
class MigrationLockTest {
    @TempDir
    Path home;

    @Test
    void open_concurrentStarts_migrateOnceAndAllStart() throws Exception {
        String url = TestDatabases.fresh();
        int starts = 6;
        CyclicBarrier together = new CyclicBarrier(starts);
        ExecutorService pool = Executors.newFixedThreadPool(starts);
        List<Future<Database>> opened = new ArrayList<>();
        try {
            for (int i = 0; i < starts; i++) {
                opened.add(pool.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    return Database.open(ProcessingTestSupport.config(home, url, Map.of()));
                }));
            }
            for (Future<Database> f : opened) {
                f.get(60, TimeUnit.SECONDS).close();
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT version), count(*) FILTER (WHERE NOT success)"
                     + " FROM flyway_schema_history WHERE version IS NOT NULL")) {
            rs.next();
            assertTrue(rs.getInt(1) >= 2, "migrations applied: " + rs.getInt(1));
            assertEquals(rs.getInt(2), rs.getInt(1), "a version applied twice");
            assertEquals(0, rs.getInt(3), "failed migrations");
        }
    }

    @Test
    void open_migrationLockHeldElsewhere_waitsForIt() throws Exception {
        String url = TestDatabases.fresh();
        try (Connection holder = DriverManager.getConnection(url); Statement s = holder.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + Database.MIGRATION_LOCK + ")");
            CompletableFuture<Database> opening = CompletableFuture.supplyAsync(
                    () -> Database.open(ProcessingTestSupport.config(home, url, Map.of())));
            ProcessingTestSupport.await("the start-up to queue for the migration lock",
                    () -> waitingForAdvisoryLock(holder) || opening.isDone());
            assertFalse(opening.isDone(), "started without waiting for the migration lock");
            assertFalse(tableExists(holder, "flyway_schema_history"), "migrated while another process held the lock");
            s.execute("SELECT pg_advisory_unlock(" + Database.MIGRATION_LOCK + ")");
            opening.get(60, TimeUnit.SECONDS).close();
            assertTrue(tableExists(holder, "flyway_schema_history"));
        }
    }

    private static boolean waitingForAdvisoryLock(Connection c) {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                     + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            rs.next();
            return rs.getInt(1) > 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean tableExists(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('public." + name + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
