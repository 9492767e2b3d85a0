package dev.vsa.processing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
}
