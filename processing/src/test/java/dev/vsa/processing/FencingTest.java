package dev.vsa.processing;

import dev.vsa.processing.internal.Database;
import dev.vsa.processing.internal.JobQueue;
import dev.vsa.processing.storage.LocalObjectStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Job fencing: a worker whose claim is stale (its lease expired and the job was claimed again, or the job ended
 * without it) can change nothing: no heartbeat, progress, success, failure, retry, release or recorded output.
 * Each fence condition ({@code lease_owner}, {@code attempts}, {@code state}) has a case in which it alone
 * tells the stale claim from the live one, so removing any one of them fails a test here.
 */
class FencingTest {
    static final Duration LEASE = Duration.ofSeconds(30);
    static String url;
    static Database db;
    static JobQueue queue;
    @TempDir
    static Path home;

    @BeforeAll
    static void start() {
        url = TestDatabases.fresh();
        db = Database.open(ProcessingTestSupport.config(home, url, Map.of()));
        Sql.exec(url, CountingHandler.DDL);
        queue = new JobQueue(db);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    /** How the stale claim came to be stale; each leaves exactly one fence condition to tell it apart. */
    enum Staleness {
        /** Lease expired, reaped, claimed by another worker: owner and attempts differ. */
        RECLAIMED_BY_ANOTHER,
        /** Lease expired, reaped, claimed again under the same owner name: only attempts differ. */
        RECLAIMED_BY_SAME_OWNER,
        /** Given back and claimed by another worker (the attempt did not count): only the owner differs. */
        RELEASED_AND_RECLAIMED,
        /** Ended by someone else while the row still names the worker: only the state differs. */
        ENDED_ELSEWHERE
    }

    /** A fenced write with the stale claim; returns what the queue answered (true = it took effect). */
    enum Write {
        HEARTBEAT, PROGRESS, SUCCEED, FAIL, CANCELLED, RETRY, RELEASE
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Staleness s : Staleness.values()) {
            for (Write w : Write.values()) {
                out.add(Arguments.of(s, w));
            }
        }
        return out.stream();
    }

    private static UUID enqueue(String kind) throws SQLException {
        try (Connection c = db.connection()) {
            return JobQueue.enqueue(c, kind, null, null, 5);
        }
    }

    /** Claims exactly job {@code id} (others of the same kind were all claimed or ended before). */
    private static JobQueue.Claim claim(String kind, String owner, UUID id) throws SQLException {
        JobQueue.Claim c = queue.claim(owner, List.of(kind), LEASE).orElseThrow();
        assertEquals(id, c.id());
        return c;
    }

    private static void expireAndReap(UUID id) throws SQLException {
        Sql.exec(url, "UPDATE jobs SET lease_until = now() - interval '1 second' WHERE id = ?", id);
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            List<JobQueue.Reaped> reaped = JobQueue.reapExpired(c);
            c.commit();
            assertTrue(reaped.stream().anyMatch(r -> r.id().equals(id)), "the expired lease was taken back");
        }
    }

    /** Makes a stale claim on a fresh job of its own kind; the job row then belongs to someone else. */
    private static JobQueue.Claim stale(Staleness how) throws SQLException {
        String kind = "fence-" + UUID.randomUUID();
        UUID id = enqueue(kind);
        JobQueue.Claim mine = claim(kind, "worker-a", id);
        switch (how) {
            case RECLAIMED_BY_ANOTHER -> {
                expireAndReap(id);
                JobQueue.Claim theirs = claim(kind, "worker-b", id);
                assertEquals(2, theirs.attempt());
            }
            case RECLAIMED_BY_SAME_OWNER -> {
                expireAndReap(id);
                JobQueue.Claim again = claim(kind, "worker-a", id);
                assertEquals(2, again.attempt());
            }
            case RELEASED_AND_RECLAIMED -> {
                assertTrue(queue.release(mine));
                JobQueue.Claim theirs = claim(kind, "worker-b", id);
                assertEquals(mine.attempt(), theirs.attempt(), "a release does not count the attempt");
            }
            case ENDED_ELSEWHERE -> Sql.exec(url, "UPDATE jobs SET state = 'failed', last_error = 'ended by an operator' WHERE id = ?", id);
        }
        return mine;
    }

    private static boolean write(Write w, JobQueue.Claim claim) throws SQLException {
        return switch (w) {
            case HEARTBEAT -> queue.heartbeat(claim, LEASE).leaseHeld();
            case PROGRESS -> queue.progress(claim, 77, "stale").leaseHeld();
            case SUCCEED -> inTx(c -> JobQueue.succeed(c, claim));
            case FAIL -> inTx(c -> JobQueue.fail(c, claim, "stale failure"));
            case CANCELLED -> inTx(c -> JobQueue.cancelled(c, claim));
            case RETRY -> queue.retry(claim, Duration.ZERO, "stale retry");
            case RELEASE -> queue.release(claim);
        };
    }

    private interface TxCall {
        boolean run(Connection c) throws SQLException;
    }

    private static boolean inTx(TxCall call) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            boolean ok = call.run(c);
            c.commit();
            return ok;
        }
    }

    /** Every column of the job row (timestamps included: even a touched lease would show). */
    private static Map<String, Object> row(UUID id) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT * FROM jobs WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                ResultSetMetaData md = rs.getMetaData();
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    m.put(md.getColumnName(i), rs.getObject(i) == null ? null : rs.getString(i));
                }
                return m;
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void staleClaim_write_refusedAndRowUntouched(Staleness how, Write w) throws SQLException {
        JobQueue.Claim mine = stale(how);
        Map<String, Object> before = row(mine.id());
        assertFalse(write(w, mine), w + " with a stale claim must not take effect");
        assertEquals(before, row(mine.id()));
    }

    @Test
    void liveClaim_everyWrite_takesEffect() throws SQLException {
        // The other side of the fence: the same calls with the live claim do work (so the cases above are not
        // refused for some other reason).
        for (Write w : Write.values()) {
            String kind = "live-" + UUID.randomUUID();
            UUID id = enqueue(kind);
            JobQueue.Claim mine = claim(kind, "worker-a", id);
            assertTrue(write(w, mine), w + " with the live claim");
        }
    }

    @Test
    void claim_runningJobWithLiveLease_notClaimedAgain() throws SQLException {
        String kind = "held-" + UUID.randomUUID();
        UUID id = enqueue(kind);
        claim(kind, "worker-a", id);
        assertEquals(Optional.empty(), queue.claim("worker-b", List.of(kind), LEASE));
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            assertTrue(JobQueue.reapExpired(c).stream().noneMatch(r -> r.id().equals(id)), "a live lease is not reaped");
            c.commit();
        }
        assertEquals("worker-a", row(id).get("lease_owner"));
    }

    @Test
    void reap_endedJobWithAStaleLease_neverQueuedAgain() throws SQLException {
        // A job ended while its row still carried an expired lease (ended by hand, or by a writer that did not clear
        // it): the reaper takes back only running jobs, never turns a finished one into a queued one.
        String kind = "ended-" + UUID.randomUUID();
        UUID id = enqueue(kind);
        claim(kind, "worker-a", id);
        Sql.exec(url, "UPDATE jobs SET state = 'succeeded', lease_until = now() - interval '1 minute' WHERE id = ?", id);
        Map<String, Object> before = row(id);
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            assertTrue(JobQueue.reapExpired(c).stream().noneMatch(r -> r.id().equals(id)));
            c.commit();
        }
        assertEquals(before, row(id));
    }

    @Test
    void claim_retryNotYetDue_notClaimed() throws SQLException {
        String kind = "later-" + UUID.randomUUID();
        UUID id = enqueue(kind);
        JobQueue.Claim mine = claim(kind, "worker-a", id);
        assertTrue(queue.retry(mine, Duration.ofHours(1), "backing off"));
        assertEquals(Optional.empty(), queue.claim("worker-b", List.of(kind), LEASE));
        assertEquals(Optional.empty(), queue.claim("worker-b", List.of("other-" + kind), LEASE));
    }

    private RunningJob running(JobQueue.Claim claim) throws Exception {
        Path dir = Files.createTempDirectory(home, "run-");
        return new RunningJob(claim, db, queue, new LocalObjectStore(home.resolve("objects")),
                ProcessingTestSupport.config(home, url, Map.of()), dir, (r, e) -> { });
    }

    @ParameterizedTest
    @MethodSource("staleness")
    void runningJob_staleProgress_stopsTheJobAndWritesNothing(Staleness how) throws Exception {
        JobQueue.Claim mine = stale(how);
        Map<String, Object> before = row(mine.id());
        RunningJob ctx = running(mine);
        JobStoppedException e = assertThrows(JobStoppedException.class, () -> ctx.progress(42, "stale stage"));
        assertEquals(JobStoppedException.Why.LEASE_LOST, e.why());
        assertEquals(before, row(mine.id()));
        // and every later checkpoint stops it too
        assertEquals(JobStoppedException.Why.LEASE_LOST, assertThrows(JobStoppedException.class, ctx::checkpoint).why());
    }

    static Stream<Staleness> staleness() {
        return Stream.of(Staleness.values());
    }

    @ParameterizedTest
    @MethodSource("staleness")
    void runningJob_staleComplete_recordsNoOutputAndThrowsLeaseLost(Staleness how) throws Exception {
        JobQueue.Claim mine = stale(how);
        Map<String, Object> before = row(mine.id());
        RunningJob ctx = running(mine);
        JobStoppedException e = assertThrows(JobStoppedException.class, () -> ctx.complete(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("INSERT INTO t.done VALUES (?)")) {
                ps.setObject(1, mine.id());
                ps.executeUpdate();
            }
        }));
        assertEquals(JobStoppedException.Why.LEASE_LOST, e.why());
        assertFalse(ctx.completed());
        assertEquals(0, Sql.count(url, "SELECT count(*) FROM t.done WHERE job_id = ?", mine.id()),
                "the stale worker's outputs were rolled back with its refused success");
        assertEquals(before, row(mine.id()));
    }

    @Test
    void workerPool_leaseTakenWhileRunning_heartbeatStopsTheHandler() throws Exception {
        // Through a real pool: the handler only checkpoints (no progress writes), so only the heartbeat can
        // learn that the lease is gone.
        String kind = "beat-" + UUID.randomUUID();
        AtomicReference<JobStoppedException.Why> why = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, url, Map.of(ProcessingConfig.JOBS_LEASE, "1")))) {
            p.registerHandler(kind, ctx -> {
                started.countDown();
                try {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (System.nanoTime() < deadline) {
                        ctx.checkpoint();
                        Thread.sleep(20);
                    }
                } catch (JobStoppedException e) {
                    why.set(e.why());
                    stopped.countDown();
                    throw e;
                }
            });
            UUID id = p.jobs().enqueue(kind, null, null);
            p.startWorkers(1);
            assertTrue(started.await(30, TimeUnit.SECONDS));
            // Another worker took it over (as after a reap and a re-claim), with a lease of its own.
            Sql.exec(url, "UPDATE jobs SET lease_owner = 'thief', attempts = attempts + 1, "
                    + "lease_until = now() + interval '1 hour' WHERE id = ?", id);
            assertTrue(stopped.await(30, TimeUnit.SECONDS), "the heartbeat noticed the lost lease");
            assertEquals(JobStoppedException.Why.LEASE_LOST, why.get());
            Map<String, Object> r = row(id);
            assertEquals("thief", r.get("lease_owner"));
            assertEquals("running", r.get("state"));
        }
    }
}
