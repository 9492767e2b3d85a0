package dev.vsa.processing;

import dev.vsa.processing.storage.LocalObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failures an operator must see and the queue must absorb: a store that is down when a scene is deleted, a
 * database that refuses the workers' queries, a job that runs out of memory.
 */
class OperatorViewTest {
    @TempDir
    Path home;

    @Test
    void delete_storeDownAtThatMoment_rowsGoneAtOnceAndObjectsPurgedByTheQueueOnceItAnswers() throws Exception {
        String url = TestDatabases.fresh();
        FailingObjectStore store = new FailingObjectStore(new LocalObjectStore(home.resolve("objects")), "scenes/", 0);
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, url, Map.of()), store)) {
            User u = p.users().create("del", "del@example.org", "h");
            Scene s = p.scenes().upload(u.id(), ProcessingTestSupport.part("unitCube-ascii.ply"));
            String prefix = "scenes/" + s.id() + "/";
            assertTrue(!store.list(prefix).isEmpty());
            store.deleteFailuresLeft.set(3); // the store is down for the next three deletes

            assertTrue(p.scenes().delete(u.id(), s.id()), "the delete succeeds: the objects are the queue's business now");
            assertTrue(p.scenes().get(u.id(), s.id()).isEmpty());
            assertEquals(1, Sql.count(url, "SELECT count(*) FROM jobs WHERE kind = 'purge' AND state = 'queued'"));
            assertTrue(!store.list(prefix).isEmpty(), "nothing deleted yet: no worker ran");

            p.startWorkers(1);
            ProcessingTestSupport.await("the purge job to succeed", () ->
                    Sql.count(url, "SELECT count(*) FROM jobs WHERE kind = 'purge' AND state = 'succeeded'") == 1);
            assertEquals(List.of(), store.list(prefix), "every object of the scene is gone");
            assertTrue(Sql.count(url, "SELECT attempts FROM jobs WHERE kind = 'purge'") >= 2, "retried past the outage");
            assertEquals(3, store.failed.get());
        }
    }

    @Test
    void deleteAccount_queuesOnePurgePerScene() throws Exception {
        String url = TestDatabases.fresh();
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, url, Map.of()))) {
            User u = p.users().create("gone", "gone@example.org", "h");
            Scene a = p.scenes().upload(u.id(), ProcessingTestSupport.part("unitCube-ascii.ply"));
            Scene b = p.scenes().upload(u.id(), ProcessingTestSupport.part("unitCube-ascii.ply"));
            assertTrue(p.users().delete(u.id()));
            p.startWorkers(1);
            ProcessingTestSupport.await("both purges to succeed", () ->
                    Sql.count(url, "SELECT count(*) FROM jobs WHERE kind = 'purge' AND state = 'succeeded'") == 2);
            assertEquals(List.of(), p.store().list("scenes/" + a.id() + "/"));
            assertEquals(List.of(), p.store().list("scenes/" + b.id() + "/"));
        }
    }

    @Test
    void workers_databaseRefusesTheirQueries_countedWarnedOnceAndShownAsTheProblem_thenRecover() throws Exception {
        String url = TestDatabases.fresh();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, url, Map.of(ProcessingConfig.JOBS_LEASE, "3")));
             LogCapture log = new LogCapture()) {
            p.registerHandler("busy", ctx -> {
                started.countDown();
                // Moves on every 300 ms (past the 250 ms progress throttle), so every call writes.
                for (int i = 0; !gate.await(300, java.util.concurrent.TimeUnit.MILLISECONDS); i++) {
                    ctx.progress(i % 90, "busy");
                }
                ctx.complete(tx -> { });
            });
            UUID id = p.jobs().enqueue("busy", null, null);
            assertEquals(0, p.workerStatus().workers());
            p.startWorkers(2); // one runs the job, the other keeps claiming
            assertTrue(started.await(60, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(2, p.workerStatus().workers());
            assertTrue(p.workerStatus().healthy());

            // A real refusal: the queue's table is not there any more (as after a bad migration or a wrong
            // search_path). Claims, heartbeats and the running job's progress writes all fail.
            Sql.exec(url, "ALTER TABLE jobs RENAME TO jobs_away");
            ProcessingTestSupport.await("claim, heartbeat and progress failures", () -> {
                WorkerStatus w = p.workerStatus();
                return w.claimFailures() >= 3 && w.heartbeatFailures() >= 1 && w.progressFailures() >= 3;
            });
            WorkerStatus w = p.workerStatus();
            assertTrue(w.problem() != null && w.problem().contains("jobs"), String.valueOf(w.problem()));
            assertTrue(w.lastError() != null && w.lastErrorAt() != null);
            assertEquals(1, log.lines("WARN").stream().filter(l -> l.contains("cannot claim jobs")).count(),
                    "claim failures are logged at WARN, once a minute: " + log.lines("WARN"));
            assertEquals(1, log.lines("WARN").stream().filter(l -> l.contains("cannot renew the lease")).count());
            assertEquals(1, log.lines("WARN").stream().filter(l -> l.contains("cannot record the progress")).count());

            Sql.exec(url, "ALTER TABLE jobs_away RENAME TO jobs");
            gate.countDown();
            ProcessingTestSupport.await("the job to finish", () -> p.jobs().get(id).orElseThrow().state() == JobState.SUCCEEDED);
            ProcessingTestSupport.await("a healthy pool", () -> p.workerStatus().healthy());
            assertNull(p.workerStatus().problem());
        }
    }

    @Test
    void job_outOfMemory_loggedJobFailedWithReason_workerGoesOn() throws Exception {
        String url = TestDatabases.fresh();
        Sql.exec(url, CountingHandler.DDL);
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, url, Map.of()));
             LogCapture log = new LogCapture()) {
            p.registerHandler(CountingHandler.KIND, new CountingHandler("w"));
            p.registerHandler("greedy", ctx -> {
                // A real OutOfMemoryError from the JVM (an array past its limit), without filling the test's heap.
                long[] huge = new long[Integer.MAX_VALUE];
                ctx.complete(tx -> assertTrue(huge.length > 0));
            });
            UUID greedy = p.jobs().enqueue("greedy", null, null);
            UUID fine = p.jobs().enqueue(CountingHandler.KIND, null, null);
            p.startWorkers(1);
            ProcessingTestSupport.await("both settled", () -> p.jobs().get(greedy).orElseThrow().state() == JobState.FAILED
                    && p.jobs().get(fine).orElseThrow().state() == JobState.SUCCEEDED);
            String reason = p.jobs().get(greedy).orElseThrow().lastError();
            assertTrue(reason.startsWith("OutOfMemoryError") && reason.contains("-Xmx"), reason);
            List<String> logged = log.lines("ERROR");
            assertTrue(logged.stream().anyMatch(l -> l.contains(greedy.toString()) && l.contains("OutOfMemoryError")),
                    "the OutOfMemoryError is logged: " + logged);
        }
    }
}
