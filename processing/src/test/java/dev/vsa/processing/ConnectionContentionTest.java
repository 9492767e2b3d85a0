package dev.vsa.processing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What keeps background and write work from holding the connections and locks that reads need
 * (bench/auth-load.sh found both): uploads of one owner wait for their turn without a pooled connection, and
 * notifications never ride on a durable commit (PostgreSQL holds one lock for all notifying commits through
 * their WAL flush).
 */
class ConnectionContentionTest {
    @TempDir
    Path home;

    private static final String FIXTURE = "unitCube-ascii.ply";

    private static int lockWaiters(Connection admin) throws Exception {
        try (Statement s = admin.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'vsa' "
                     + "AND wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void uploadsOfOneOwner_waitingForTheirTurn_leaveTheOtherConnectionsToReads() throws Exception {
        String url = TestDatabases.fresh();
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, url,
                Map.of(ProcessingConfig.DATABASE_POOL_SIZE, "2")));
             Connection admin = DriverManager.getConnection(url)) {
            User a = p.users().create("a", "a@example.org", "h");
            User b = p.users().create("b", "b@example.org", "h");
            Scene bs = p.scenes().upload(b.id(), ProcessingTestSupport.part(FIXTURE));
            // Another session holds a's row lock, as a long upload of a's would; one of a's uploads waits on it (with
            // a connection), the other for its turn (without one). The read of b's scene needs one connection: free,
            // not held by a's waiting upload (else it would wait out the pool's connection timeout and fail).
            Work upload = () -> p.scenes().upload(a.id(), ProcessingTestSupport.part(FIXTURE));
            List<Throwable> failures = whileOwnerRowHeld(url, admin, a.id(), List.of(upload, upload),
                    () -> assertEquals(bs.id(), p.scenes().get(b.id(), bs.id()).orElseThrow().id()));
            assertEquals(List.of(), failures);
            assertEquals(2, p.scenes().list(a.id(), 10, null).items().size());
        }
    }

    /** Whether {@code t} is parked waiting for an owner's turn ({@link OwnerTurns}), holding no connection. */
    private static boolean waitingForTurn(Thread t) {
        return t.getState() == Thread.State.WAITING && java.util.Arrays.stream(t.getStackTrace())
                .anyMatch(f -> f.getClassName().equals(OwnerTurns.class.getName()));
    }

    /**
     * A resumable upload's creation and a direct upload's opening check the owner's quota under its row lock, as
     * recording an upload does, and wait for their turn the same way: without a pooled connection. (They used to
     * take a connection first: two of them waiting for a busy owner held a pool of two, and a read of another
     * account found none.)
     */
    @Test
    void openingsOfOneOwner_resumableAndDirect_waitForTheirTurnWithoutAConnection() throws Exception {
        String url = TestDatabases.fresh();
        Map<String, String> settings = new java.util.HashMap<>(TestS3.settings(TestS3.SECRET_KEY));
        settings.put(ProcessingConfig.DATABASE_POOL_SIZE, "2");
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, url, settings));
             Connection admin = DriverManager.getConnection(url)) {
            User a = p.users().create("a", "a@example.org", "h");
            User b = p.users().create("b", "b@example.org", "h");
            byte[] file = new byte[600];
            List<Throwable> failures = whileOwnerRowHeld(url, admin, a.id(), List.of(
                    () -> p.resumableUploads().create(a.id(), 600, null, null),
                    () -> p.directUploads().start(a.id(), "a.splat", file.length, Digests.sha256Hex(file), null)),
                    () -> assertEquals(List.of(), p.scenes().list(b.id(), 10, null).items()));
            assertEquals(List.of(), failures);
            try (Statement s = admin.createStatement();
                 ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM tus_uploads), "
                         + "(SELECT count(*) FROM direct_uploads)")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
                assertEquals(1, rs.getInt(2));
            }
            // the quota check of an opening exists only inside the owner's transaction
            assertThrows(IllegalStateException.class, () -> p.scenes().checkQuotaForOpening(admin, a.id(), 1));
        }
    }

    /** What one thread does for the owner. */
    private interface Work {
        void run() throws Exception;
    }

    /**
     * Runs each of {@code work} on its own thread while another session holds {@code owner}'s row lock, waits until
     * all are stuck (at most one on the row lock, the rest waiting for their turn without a connection), then runs
     * {@code read}, which needs a free connection of the pool, and lets them go.
     *
     * @return what the work threads threw, after asserting that the read found a connection
     */
    private static List<Throwable> whileOwnerRowHeld(String url, Connection admin, UUID owner, List<Work> work,
                                                     Runnable read) throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> readFailure = new AtomicReference<>();
        try (Connection holder = DriverManager.getConnection(url)) { // closing it ends its transaction and the lock
            ProcessingTestSupport.lockOwnerRow(holder, owner);
            for (Work r : work) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        r.run();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            ProcessingTestSupport.await("all blocked", () -> {
                try {
                    int waiting = lockWaiters(admin);
                    long parked = threads.stream().filter(ConnectionContentionTest::waitingForTurn).count();
                    return waiting >= 2 || waiting == 1 && parked == work.size() - 1;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                read.run();
            } catch (ProcessingException e) {
                readFailure.set(e);
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        assertNull(readFailure.get(), "the read found no free connection");
        return failures;
    }

    /**
     * A login of an owner whose row an owner transaction holds (a long upload, here another session's) stores its
     * refresh token without waiting: the insert's foreign-key check only shares the row's key. It used to wait for
     * the whole upload while holding a pooled connection.
     */
    @Test
    void loginOfAnOwnerInAnOwnerTransaction_storesItsRefreshTokenWithoutWaiting() throws Exception {
        String url = TestDatabases.fresh();
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, url, Map.of()));
             Connection admin = DriverManager.getConnection(url);
             Connection holder = DriverManager.getConnection(url)) {
            User a = p.users().create("a", "a@example.org", "h");
            ProcessingTestSupport.lockOwnerRow(holder, a.id());
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread login = Thread.ofPlatform().start(() -> {
                try {
                    p.users().storeRefreshToken(a.id(), "hash-1", java.time.Instant.now().plusSeconds(60));
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            ProcessingTestSupport.await("the insert done or waiting on the row", () -> {
                try {
                    return !login.isAlive() || lockWaiters(admin) > 0;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            boolean waited = login.isAlive();
            holder.rollback();
            login.join();
            assertFalse(waited, "the refresh-token insert waited for the owner transaction");
            assertNull(failure.get());
        }
    }

    /**
     * Adding a token or a webhook checks the owner's count under its row lock, and deleting the account locks the
     * row first: they wait for the owner's turn as uploads do, without a pooled connection. (They used to take a
     * connection first: two of them waiting for a busy owner held a pool of two, and another account's read found
     * none.)
     */
    @Test
    void tokensWebhooksAndDeletionOfOneOwner_waitForTheirTurnWithoutAConnection() throws Exception {
        String url = TestDatabases.fresh();
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, url, Map.of(
                ProcessingConfig.DATABASE_POOL_SIZE, "2", ProcessingConfig.WEBHOOKS_ALLOW_PRIVATE, "true")));
             Connection admin = DriverManager.getConnection(url)) {
            User a = p.users().create("a", "a@example.org", "h");
            User b = p.users().create("b", "b@example.org", "h");
            Runnable readOfB = () -> assertEquals(List.of(), p.scenes().list(b.id(), 10, null).items());
            List<Throwable> failures = whileOwnerRowHeld(url, admin, a.id(), List.of(
                    () -> p.tokens().create(a.id(), "ci", java.util.EnumSet.allOf(Scope.class), null),
                    () -> p.webhooks().create(a.id(), "http://127.0.0.1:9/hook", "", List.of())), readOfB);
            assertEquals(List.of(), failures);
            assertEquals(1, p.tokens().list(a.id()).size());
            assertEquals(1, p.webhooks().list(a.id()).size());

            List<Boolean> deleted = java.util.Collections.synchronizedList(new ArrayList<>());
            failures = whileOwnerRowHeld(url, admin, a.id(), List.of(
                    () -> deleted.add(p.users().delete(a.id())),
                    () -> deleted.add(p.users().delete(a.id()))), readOfB);
            assertEquals(List.of(), failures);
            assertEquals(List.of(false, true), deleted.stream().sorted().toList());
            assertTrue(p.users().findById(a.id()).isEmpty());
            // a count is checked only inside an owner transaction of its owner
            assertThrows(IllegalStateException.class,
                    () -> new OwnerTurns(null).requireBelow(admin, b.id(), "webhooks", 1, "url", "webhooks"));
        }
    }

    @Test
    void jobProgressAndClaimCommitAsynchronously_dataDurably_andWorkersAreStillWoken() throws Exception {
        String url = TestDatabases.fresh();
        String db = url.replaceFirst("^.*/([^/?]+)(\\?.*)?$", "$1");
        try (Connection admin = DriverManager.getConnection(url); Statement s = admin.createStatement()) {
            // The test server runs with synchronous_commit off; this database as a real server would.
            s.execute("ALTER DATABASE " + db + " SET synchronous_commit = on");
        }
        try (Processing p = Processing.start(ProcessingTestSupport.config(home, url, Map.of()));
             Connection admin = DriverManager.getConnection(url);
             Connection listener = DriverManager.getConnection(url)) {
            try (Statement s = admin.createStatement()) {
                // Every write of a job row, with the commit mode of its transaction; progress: only progress moved,
                // or the job was claimed (queued -> running), or only its lease moved (a heartbeat).
                s.execute("CREATE TABLE commit_log (op text, state text, progress boolean, sync text, claim boolean)");
                s.execute("CREATE FUNCTION log_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "INSERT INTO commit_log VALUES (TG_OP, NEW.state, TG_OP = 'UPDATE' AND NEW.state = 'running' "
                        + "AND OLD.state IN ('queued', 'running'), "
                        + "current_setting('synchronous_commit'), TG_OP = 'UPDATE' AND OLD.state = 'queued' "
                        + "AND NEW.state = 'running'); RETURN NEW; END $$");
                s.execute("CREATE TRIGGER log_commit AFTER INSERT OR UPDATE ON jobs FOR EACH ROW EXECUTE FUNCTION log_commit()");
            }
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN vsa_jobs");
            }
            User a = p.users().create("a", "a@example.org", "h");
            Scene scene = p.scenes().upload(a.id(), ProcessingTestSupport.part(FIXTURE));
            // Announced after the upload's commit (no worker runs yet to take it).
            PGNotification[] n = listener.unwrap(PGConnection.class).getNotifications(30_000);
            assertTrue(n != null && n.length > 0, "workers were not notified of the new job");
            assertEquals(scene.latestJobId().toString(), n[0].getParameter());

            p.startWorkers(1);
            Job j = ProcessingTestSupport.awaitTerminal(p, a.id(), scene.latestJobId());
            assertEquals(JobState.SUCCEEDED, j.state());
            List<String> progress = new ArrayList<>();
            List<String> data = new ArrayList<>();
            int claims = 0;
            try (Statement s = admin.createStatement();
                 ResultSet rs = s.executeQuery("SELECT op, state, progress, sync, claim FROM commit_log")) {
                while (rs.next()) {
                    String row = rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(4);
                    (rs.getBoolean(3) ? progress : data).add(row);
                    claims += rs.getBoolean(5) ? 1 : 0;
                }
            }
            // Progress, the claim and heartbeats: asynchronous (a crash that loses one costs a retry, fenced).
            assertEquals(1, claims);
            assertTrue(!progress.isEmpty() && progress.stream().allMatch(r -> r.endsWith(" off")), progress.toString());
            assertTrue(data.stream().anyMatch(r -> r.startsWith("INSERT queued")), data.toString());
            assertTrue(data.stream().anyMatch(r -> r.startsWith("UPDATE succeeded")), data.toString());
            assertTrue(data.stream().allMatch(r -> r.endsWith(" on")), "the upload and the job's end are durable: " + data);
        }
    }

    @Test
    void ownerTurns_forgetOwnersNobodyWaitsFor() {
        OwnerTurns turns = new OwnerTurns(null);
        UUID a = UUID.randomUUID();
        try (OwnerTurns.Held h = turns.take(a)) {
            assertEquals(1, turns.owners());
        }
        assertEquals(0, turns.owners());
    }
}
