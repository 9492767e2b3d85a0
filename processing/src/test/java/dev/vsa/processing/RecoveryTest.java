package dev.vsa.processing;

import dev.vsa.processing.internal.EmbeddedDatabase;
import dev.vsa.processing.storage.LocalObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Crashes and outages: a killed worker process, a restarted database, a failing store, an invalid file. */
class RecoveryTest {
    @TempDir
    Path home;

    @Test
    void workerKilledMidJob_jobCompletesExactlyOnceWithoutDuplicateOutputs() throws Exception {
        String url = TestDatabases.fresh();
        Sql.exec(url, CountingHandler.DDL);
        Map<String, String> lease = Map.of(ProcessingConfig.JOBS_LEASE, "2");
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, url, lease))) {
            p.registerHandler(OutputHandler.KIND, new OutputHandler(false));
            User u = p.users().create("k", "k@example.org", "h");
            Scene s = p.scenes().upload(u.id(), ProcessingTestSupport.part("unitCube-ascii.ply"));
            p.jobs().cancel(u.id(), s.latestJobId()); // only the output job matters here
            UUID job = p.jobs().enqueue(OutputHandler.KIND, s.id(), null);

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ChildWorker.class.getName(), url, home.toString())
                    .redirectErrorStream(true).redirectOutput(home.resolve("child.log").toFile()).start();
            try {
                ProcessingTestSupport.await("the child to store its output", () ->
                        "stored".equals(p.jobs().get(job).orElseThrow().stage()));
                assertTrue(child.isAlive());
                child.destroyForcibly(); // SIGKILL: no shutdown hook, no release
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            } finally {
                child.destroyForcibly();
            }
            assertEquals(JobState.RUNNING, p.jobs().get(job).orElseThrow().state(), "the dead worker still holds the lease");

            p.startWorkers(1);
            Job done = ProcessingTestSupport.awaitTerminal(p, u.id(), job);
            assertEquals(JobState.SUCCEEDED, done.state());
            assertEquals(2, done.attempts());
            assertEquals(List.of("child", "parent"), workers(url, job));
            assertEquals(1, Sql.count(url, "SELECT count(*) FROM scene_files WHERE scene_id = ? AND kind = 'output'", s.id()));
            List<String> outputs = p.store().list("scenes/" + s.id() + "/outputs/");
            assertEquals(List.of("scenes/" + s.id() + "/outputs/result.txt"), outputs);
            try (InputStream in = p.store().get(outputs.get(0))) {
                assertEquals("made by attempt 2", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    private static List<String> workers(String url, UUID job) throws Exception {
        List<String> out = new ArrayList<>();
        try (var c = java.sql.DriverManager.getConnection(url);
             var ps = c.prepareStatement("SELECT worker FROM t.runs WHERE job_id = ? ORDER BY attempt")) {
            ps.setObject(1, job);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @Test
    void databaseRestartedMidRun_workersRecover() throws Exception {
        Path pgDir = home.resolve("pg");
        EmbeddedDatabase pg = EmbeddedDatabase.start(pgDir, 0, false);
        int port = pg.port();
        String url = pg.jdbcUrl();
        Sql.exec(url, CountingHandler.DDL);
        CountingHandler h = new CountingHandler("w");
        h.gate = new CountDownLatch(1);
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, url, Map.of(ProcessingConfig.JOBS_LEASE, "2")))) {
            p.registerHandler(CountingHandler.KIND, h);
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ids.add(p.jobs().enqueue(CountingHandler.KIND, null, null));
            }
            p.startWorkers(2);
            ProcessingTestSupport.await("two jobs held mid-run", () -> Sql.count(url, "SELECT count(*) FROM t.runs") == 2);

            pg.stop(); // the server goes away under running jobs
            h.gate.countDown(); // their completions now fail
            pg = EmbeddedDatabase.start(pgDir, port, false);
            assertEquals(port, pg.port());

            for (int i = 0; i < 20; i++) {
                ids.add(p.jobs().enqueue(CountingHandler.KIND, null, null));
            }
            ProcessingTestSupport.await("all 40 jobs succeeded", () ->
                    Sql.count(url, "SELECT count(*) FROM jobs WHERE state = 'succeeded'") == 40);
            assertEquals(40, Sql.count(url, "SELECT count(DISTINCT job_id) FROM t.done"));
            assertEquals(40, Sql.count(url, "SELECT count(*) FROM t.done"), "no job completed twice");
        } finally {
            pg.stop();
        }
    }

    @Test
    void transientStorageFailure_retriedThenSucceeds() throws Exception {
        String url = TestDatabases.fresh();
        ProcessingConfig config = ProcessingTestSupport.config(home, url, Map.of());
        FailingObjectStore store = new FailingObjectStore(new LocalObjectStore(home.resolve("objects")), "/outputs/", 2);
        try (Processing p = Processing.start(config, store)) {
            User u = p.users().create("t", "t@example.org", "h");
            Scene s = p.scenes().upload(u.id(), ProcessingTestSupport.part("unitCube-ascii.ply"));
            p.startWorkers(1);
            Job j = ProcessingTestSupport.awaitTerminal(p, u.id(), s.latestJobId());
            assertEquals(JobState.SUCCEEDED, j.state(), j::toString);
            assertEquals(3, j.attempts(), "two injected failures, then success");
            assertEquals(2, store.failed.get());
            assertEquals(SceneStatus.READY, p.scenes().get(u.id(), s.id()).orElseThrow().status());
        }
    }

    @Test
    void transientFailurePastMaxAttempts_failsWithReason() throws Exception {
        String url = TestDatabases.fresh();
        ProcessingConfig config = ProcessingTestSupport.config(home, url, Map.of(ProcessingConfig.JOBS_MAX_ATTEMPTS, "2"));
        FailingObjectStore store = new FailingObjectStore(new LocalObjectStore(home.resolve("objects")), "/outputs/", 100);
        try (Processing p = Processing.start(config, store)) {
            User u = p.users().create("t", "t@example.org", "h");
            Scene s = p.scenes().upload(u.id(), ProcessingTestSupport.part("unitCube-ascii.ply"));
            p.startWorkers(1);
            Job j = ProcessingTestSupport.awaitTerminal(p, u.id(), s.latestJobId());
            assertEquals(JobState.FAILED, j.state());
            assertEquals(2, j.attempts());
            assertTrue(j.lastError().contains("gave up after 2 attempts") && j.lastError().contains("injected"), j.lastError());
            Scene after = p.scenes().get(u.id(), s.id()).orElseThrow();
            assertEquals(SceneStatus.FAILED, after.status());
        }
    }

    @Test
    void invalidUpload_failsAtOnceWithReadableReasonAndKeepsOriginal() throws Exception {
        String url = TestDatabases.fresh();
        byte[] ply = ProcessingTestSupport.fixtureBytes("unitCube-ascii.ply");
        byte[] truncated = Arrays.copyOf(ply, ply.length - 400); // header promises more vertices than follow
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, url, Map.of()))) {
            User u = p.users().create("i", "i@example.org", "h");
            Scene s = p.scenes().upload(u.id(), List.of(new UploadPart("cube.ply", null, new ByteArrayInputStream(truncated))));
            p.startWorkers(1);
            Job j = ProcessingTestSupport.awaitTerminal(p, u.id(), s.latestJobId());
            assertEquals(JobState.FAILED, j.state());
            assertEquals(1, j.attempts(), "an invalid file is not retried");
            assertTrue(j.lastError().startsWith("invalid file: 1 error: ") && j.lastError().contains("PLY"), j.lastError());
            Scene after = p.scenes().get(u.id(), s.id()).orElseThrow();
            assertEquals(SceneStatus.INVALID, after.status());
            assertEquals(j.lastError(), after.error());
            FileDownload.Stream original = (FileDownload.Stream) p.scenes()
                    .openFile(u.id(), s.id(), "original/cube.ply", ByteRange.ALL).orElseThrow();
            try (InputStream in = original.content()) {
                assertTrue(Arrays.equals(truncated, in.readAllBytes()), "the original is kept as uploaded");
            }
        }
    }

    private static java.util.Set<Path> entries(Path... dirs) throws IOException {
        java.util.Set<Path> out = new java.util.TreeSet<>();
        for (Path d : dirs) {
            if (Files.isDirectory(d)) {
                try (java.util.stream.Stream<Path> s = Files.list(d)) {
                    s.forEach(out::add);
                }
            }
        }
        return out;
    }

    @Test
    void killedProcess_itsScratchAndSpooledUploadsSweptAtNextStart_whileItLivesTheyAreKept() throws Exception {
        String url = TestDatabases.fresh();
        Sql.exec(url, CountingHandler.DDL);
        Map<String, String> lease = Map.of(ProcessingConfig.JOBS_LEASE, "2");
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, url, lease))) {
            User u = p.users().create("k", "k@example.org", "h");
            Scene s = p.scenes().upload(u.id(), ProcessingTestSupport.part("unitCube-ascii.ply"));
            p.jobs().cancel(u.id(), s.latestJobId());
            UUID job = p.jobs().enqueue(OutputHandler.KIND, s.id(), null);
            Path work = home.resolve("tmp").resolve("work");
            Path staging = p.scenes().stagingDirectory().getParent();
            java.util.Set<Path> ours = entries(work, staging);

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ChildWorker.class.getName(), url, home.toString())
                    .redirectErrorStream(true).redirectOutput(home.resolve("child.log").toFile()).start();
            java.util.Set<Path> theirs;
            try {
                ProcessingTestSupport.await("the child to be mid-job", () ->
                        "stored".equals(p.jobs().get(job).orElseThrow().stage()));
                ProcessingTestSupport.await("the child's spooled upload", () -> {
                    try (java.util.stream.Stream<Path> f = Files.walk(staging)) {
                        return f.anyMatch(x -> x.getFileName().toString().equals("MultiPart-in-flight.tmp"));
                    } catch (IOException e) {
                        return false;
                    }
                });
                theirs = entries(work, staging);
                theirs.removeAll(ours);
                assertTrue(theirs.stream().anyMatch(x -> x.getParent().equals(work) && Files.isDirectory(x)), theirs::toString);
                assertTrue(theirs.stream().anyMatch(x -> x.getParent().equals(staging) && Files.isDirectory(x)), theirs::toString);

                // Another process starting now must not take what a live one uses.
                Processing.start(ProcessingTestSupport.config(home, url, lease)).close();
                for (Path x : theirs) {
                    assertTrue(Files.exists(x), "a live process's " + x + " was kept");
                }
                child.destroyForcibly(); // SIGKILL: no shutdown hook, nothing cleaned up
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            } finally {
                child.destroyForcibly();
            }
            for (Path x : theirs) {
                assertTrue(Files.exists(x), "still there before the next start: " + x);
            }
            Processing.start(ProcessingTestSupport.config(home, url, lease)).close();
            for (Path x : theirs) {
                assertTrue(!Files.exists(x), "the dead process's " + x + " was swept at start");
            }
            for (Path x : ours) {
                assertTrue(Files.exists(x), "this live process's " + x + " was kept");
            }
        }
    }
}
