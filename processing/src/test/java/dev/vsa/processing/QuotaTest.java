package dev.vsa.processing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-account scene count and storage quota (refused before anything is stored), per-job output size. */
class QuotaTest {
    @TempDir
    Path home;

    private static final String FIXTURE = "unitCube-ascii.ply";

    private static long originals(Processing p) throws Exception {
        return p.store().list("scenes/").stream().filter(k -> k.contains("/original/")).count();
    }

    @Test
    void upload_pastSceneLimit_refusedWithReasonNothingStored_otherAccountsUnaffected() throws Exception {
        String url = TestDatabases.fresh();
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, url, Map.of(Limits.USER_MAX_SCENES, "2")))) {
            User a = p.users().create("a", "a@example.org", "h");
            User b = p.users().create("b", "b@example.org", "h");
            p.scenes().upload(a.id(), ProcessingTestSupport.part(FIXTURE));
            p.scenes().upload(a.id(), ProcessingTestSupport.part(FIXTURE));
            long stored = originals(p);
            UploadRejectedException e = assertThrows(UploadRejectedException.class,
                    () -> p.scenes().upload(a.id(), ProcessingTestSupport.part(FIXTURE)));
            assertEquals(UploadRejectedException.Reason.SCENE_LIMIT, e.reason());
            assertTrue(e.getMessage().contains("quota.user-scenes = 2"), e.getMessage());
            assertEquals(stored, originals(p), "nothing stored for the refused upload");
            assertEquals(2, p.scenes().list(a.id(), 10, null).items().size());
            assertThrows(UploadRejectedException.class, () -> p.scenes().checkQuota(a.id(), 0));
            p.scenes().upload(b.id(), ProcessingTestSupport.part(FIXTURE)); // another account has its own count
        }
    }

    @Test
    void upload_pastStorageQuota_refusedWithReasonNothingStored() throws Exception {
        String url = TestDatabases.fresh();
        long size = ProcessingTestSupport.fixtureBytes(FIXTURE).length;
        Map<String, String> quota = Map.of(Limits.USER_MAX_BYTES, Long.toString(size * 3 / 2));
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, url, quota))) {
            User a = p.users().create("a", "a@example.org", "h");
            p.scenes().upload(a.id(), ProcessingTestSupport.part(FIXTURE));
            long stored = originals(p);
            UploadRejectedException e = assertThrows(UploadRejectedException.class,
                    () -> p.scenes().upload(a.id(), ProcessingTestSupport.part(FIXTURE)));
            assertEquals(UploadRejectedException.Reason.QUOTA, e.reason());
            assertTrue(e.getMessage().contains("quota.user-bytes"), e.getMessage());
            assertEquals(stored, originals(p), "nothing stored for the refused upload");
            assertEquals(1, p.scenes().list(a.id(), 10, null).items().size());
            // declared before the body: refused at once
            assertEquals(UploadRejectedException.Reason.QUOTA,
                    assertThrows(UploadRejectedException.class, () -> p.scenes().checkQuota(a.id(), size)).reason());
            p.scenes().checkQuota(a.id(), size / 4);
        }
    }

    /**
     * The quota check and the insert run with the owner's row locked, so two API processes (whose in-process turns
     * do not see each other) cannot both pass the check for the last room. Deterministic: the test holds a lock that
     * conflicts only with that row lock ({@code FOR NO KEY UPDATE}: a scene's foreign-key check, {@code FOR KEY
     * SHARE}, passes it) and the upload must wait for it; without the lock the upload finishes while it is held.
     */
    @Test
    void upload_waitsForTheOwnersRowLock_soProcessesTakeTurnsAtTheQuotaCheck() throws Exception {
        String url = TestDatabases.fresh();
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, url, Map.of()));
             Connection holder = DriverManager.getConnection(url);
             Connection watcher = DriverManager.getConnection(url)) {
            User a = p.users().create("a", "a@example.org", "h");
            ProcessingTestSupport.lockOwnerRow(holder, a.id());
            CompletableFuture<Scene> upload = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.scenes().upload(a.id(), ProcessingTestSupport.part(FIXTURE));
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            boolean waiting = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!waiting && !upload.isDone() && System.nanoTime() < deadline) {
                try (Statement st = watcher.createStatement();
                     ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity "
                             + "WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
                    rs.next();
                    waiting = rs.getLong(1) > 0;
                }
                if (!waiting) {
                    Thread.sleep(20);
                }
            }
            assertFalse(upload.isDone(), "the upload finished while another transaction held its owner's row");
            assertTrue(waiting, "the upload never waited for its owner's row");
            holder.rollback();
            assertEquals(a.id(), upload.get(60, TimeUnit.SECONDS).ownerId());
        }
    }

    @Test
    void job_outputsPastTheLimit_failsWithReadableReason_nothingStored() throws Exception {
        String url = TestDatabases.fresh();
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, url, Map.of(Limits.JOB_MAX_OUTPUT_BYTES, "100")))) {
            User a = p.users().create("a", "a@example.org", "h");
            Scene s = p.scenes().upload(a.id(), ProcessingTestSupport.part(FIXTURE));
            p.startWorkers(1);
            Job j = ProcessingTestSupport.awaitTerminal(p, a.id(), s.latestJobId());
            assertEquals(JobState.FAILED, j.state());
            assertEquals(1, j.attempts(), "not retried: a re-run makes the same outputs");
            assertTrue(j.lastError().contains("jobs.max-output-bytes = 100"), j.lastError());
            Scene after = p.scenes().get(a.id(), s.id()).orElseThrow();
            assertEquals(SceneStatus.FAILED, after.status());
            assertEquals(j.lastError(), after.error());
            assertEquals(List.of(), p.store().list("scenes/" + s.id() + "/outputs/"));
        }
    }

    @Test
    void limits_badValues_rejectedNamingTheKey() {
        for (String key : List.of(Limits.USER_MAX_BYTES, Limits.USER_MAX_SCENES, Limits.JOB_MAX_OUTPUT_BYTES)) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ProcessingTestSupport.config(home, "jdbc:postgresql://127.0.0.1/x", Map.of(key, "0")));
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
        assertEquals("VSA_QUOTA_USER_BYTES", ProcessingConfig.envName(Limits.USER_MAX_BYTES));
        assertEquals("VSA_JOBS_MAX_OUTPUT_BYTES", ProcessingConfig.envName(Limits.JOB_MAX_OUTPUT_BYTES));
    }

    @Test
    void uploadsInFlight_pastTheAccountsLimit_userBusy_othersKeepTheSharedCapacity() throws Exception {
        String url = TestDatabases.fresh();
        Map<String, String> limits = Map.of(Limits.UPLOAD_MAX_CONCURRENT_PER_USER, "2", Limits.UPLOAD_MAX_CONCURRENT, "3");
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, url, limits))) {
            java.util.UUID a = java.util.UUID.randomUUID();
            java.util.UUID b = java.util.UUID.randomUUID();
            UploadSpool a1 = p.scenes().openSpool(a);
            UploadSpool a2 = p.scenes().openSpool(a);
            UploadRejectedException e = assertThrows(UploadRejectedException.class, () -> p.scenes().openSpool(a));
            assertEquals(UploadRejectedException.Reason.USER_BUSY, e.reason());
            assertTrue(e.getMessage().contains("upload.max-concurrent-per-user = 2"), e.getMessage());
            UploadSpool b1 = p.scenes().openSpool(b); // a's refusal took none of the shared capacity
            assertEquals(UploadRejectedException.Reason.BUSY,
                    assertThrows(UploadRejectedException.class, () -> p.scenes().openSpool(b)).reason());
            a1.close();
            UploadSpool a3 = p.scenes().openSpool(a); // a's closed upload gave back its place, in both counts
            a2.close();
            a3.close();
            b1.close();
        }
    }
}
