package dev.vsa.processing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueueTest {
    @TempDir
    Path home;
    final List<Processing> engines = new ArrayList<>();
    String url;

    Processing engine(String worker, CountingHandler handler, Map<String, String> extra) {
        Processing p = Processing.start(ProcessingTestSupport.config(home, url, extra));
        p.registerHandler(CountingHandler.KIND, handler);
        engines.add(p);
        return p;
    }

    @AfterEach
    void stop() {
        engines.forEach(Processing::close);
    }

    private void freshDb() {
        url = TestDatabases.fresh();
        Sql.exec(url, CountingHandler.DDL);
    }

    @Test
    void twoWorkers_200Jobs_eachRunsExactlyOnce() throws Exception {
        freshDb();
        Processing a = engine("a", new CountingHandler("a"), Map.of());
        Processing b = engine("b", new CountingHandler("b"), Map.of());
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add(a.jobs().enqueue(CountingHandler.KIND, null, null));
        }
        a.startWorkers(1);
        b.startWorkers(1);
        ProcessingTestSupport.await("200 jobs done", () -> Sql.count(url, "SELECT count(*) FROM t.done") == 200);
        assertEquals(200, Sql.count(url, "SELECT count(*) FROM t.runs"));
        assertEquals(200, Sql.count(url, "SELECT count(DISTINCT job_id) FROM t.runs"));
        assertEquals(200, Sql.count(url, "SELECT count(*) FROM jobs WHERE state = 'succeeded' AND attempts = 1"));
        // both really competed
        assertTrue(Sql.count(url, "SELECT count(DISTINCT worker) FROM t.runs") == 2);
    }

    @Test
    void cancel_queuedJob_cancelledAtOnce() {
        freshDb();
        Processing p = engine("a", new CountingHandler("a"), Map.of());
        User u = p.users().create("u", "u@example.org", "h");
        Scene s = uploadScene(p, u);
        Job j = p.jobs().cancel(u.id(), s.latestJobId()).orElseThrow();
        assertEquals(JobState.CANCELLED, j.state());
        Scene after = p.scenes().get(u.id(), s.id()).orElseThrow();
        assertEquals(SceneStatus.FAILED, after.status());
        assertEquals("processing cancelled", after.error());
    }

    private static Scene uploadScene(Processing p, User u) {
        try {
            return p.scenes().upload(u.id(), ProcessingTestSupport.part("unitCube-ascii.ply"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void cancel_runningJob_stopsAtCheckpoint() throws Exception {
        freshDb();
        CountingHandler h = new CountingHandler("a");
        h.gate = new CountDownLatch(1);
        Processing p = engine("a", h, Map.of(ProcessingConfig.JOBS_LEASE, "1"));
        UUID id = p.jobs().enqueue(CountingHandler.KIND, null, null);
        p.startWorkers(1);
        ProcessingTestSupport.await("job running", () -> Sql.count(url, "SELECT count(*) FROM t.runs") == 1);
        // jobs without a scene have no owner: cancel as the queue would for an owner
        Sql.exec(url, "UPDATE jobs SET cancel_requested = true WHERE id = ?", id);
        ProcessingTestSupport.await("job cancelled", () -> p.jobs().get(id).orElseThrow().state() == JobState.CANCELLED);
        assertEquals(0, Sql.count(url, "SELECT count(*) FROM t.done"));
    }

    @Test
    void shutdown_runningJob_releasedBackToQueue() throws Exception {
        freshDb();
        CountingHandler h = new CountingHandler("a");
        h.gate = new CountDownLatch(1);
        Processing p = engine("a", h, Map.of());
        UUID id = p.jobs().enqueue(CountingHandler.KIND, null, null);
        WorkerPool pool = p.startWorkers(1);
        ProcessingTestSupport.await("job running", () -> Sql.count(url, "SELECT count(*) FROM t.runs") == 1);
        pool.shutdown(Duration.ZERO);
        Job j = p.jobs().get(id).orElseThrow();
        assertEquals(JobState.QUEUED, j.state());
        assertEquals(0, j.attempts(), "an attempt cut short by shutdown does not count");
        // another worker takes it and finishes it
        h.gate = null;
        p.startWorkers(1);
        ProcessingTestSupport.await("job done", () -> p.jobs().get(id).orElseThrow().state() == JobState.SUCCEEDED);
        assertEquals(1, Sql.count(url, "SELECT count(*) FROM t.done"));
    }

    @Test
    void handlerLinkageError_failsTheJobWithItsReason_andTheWorkerGoesOn() throws Exception {
        freshDb();
        Processing p = engine("a", new CountingHandler("a"), Map.of());
        p.registerHandler("broken", ctx -> {
            throw new NoClassDefFoundError("com/example/Missing");
        });
        UUID broken = p.jobs().enqueue("broken", null, null);
        UUID fine = p.jobs().enqueue(CountingHandler.KIND, null, null);
        p.startWorkers(1);
        ProcessingTestSupport.await("both settled", () -> p.jobs().get(broken).orElseThrow().state() == JobState.FAILED
                && p.jobs().get(fine).orElseThrow().state() == JobState.SUCCEEDED);
        assertTrue(p.jobs().get(broken).orElseThrow().lastError().contains("NoClassDefFoundError"),
                () -> p.jobs().get(broken).orElseThrow().toString());
    }
}
