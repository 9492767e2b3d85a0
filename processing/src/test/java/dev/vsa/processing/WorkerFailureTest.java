package dev.vsa.processing;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.processing.storage.ObjectNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a worker settles jobs whose handler fails: each kind of failure ends the job (or retries it) with a reason a
 * user can read, and the worker goes on with the next job.
 */
class WorkerFailureTest {
    @TempDir
    Path home;
    Processing p;

    @AfterEach
    void stop() {
        if (p != null) {
            p.close();
        }
    }

    private Processing engine(Map<String, String> extra) {
        String url = TestDatabases.fresh();
        Sql.exec(url, CountingHandler.DDL);
        p = Processing.start(ProcessingTestSupport.config(home, url, extra));
        p.registerHandler(CountingHandler.KIND, new CountingHandler("a"));
        return p;
    }

    private Job settled(UUID id) throws InterruptedException {
        ProcessingTestSupport.await("job " + id + " settled", () -> {
            JobState s = p.jobs().get(id).orElseThrow().state();
            return s == JobState.FAILED || s == JobState.SUCCEEDED;
        });
        return p.jobs().get(id).orElseThrow();
    }

    @Test
    void handlerReturnsWithoutCompleting_jobFailsSayingSo() throws Exception {
        engine(Map.of()).registerHandler("forgetful", ctx -> {
        });
        UUID id = p.jobs().enqueue("forgetful", null, null);
        p.startWorkers(1);
        Job j = settled(id);
        assertEquals(JobState.FAILED, j.state());
        assertTrue(j.lastError().contains("returned without completing the job"), j.toString());
        assertEquals(1, j.attempts(), "a bug of ours is not retried");
    }

    @Test
    void transientFailureEveryTime_retriedUpToMaxAttempts_thenFailsNamingTheCount() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        engine(Map.of(ProcessingConfig.JOBS_MAX_ATTEMPTS, "3")).registerHandler("flaky", ctx -> {
            runs.incrementAndGet();
            throw new IOException("storage hiccup");
        });
        UUID id = p.jobs().enqueue("flaky", null, null);
        p.startWorkers(1);
        Job j = settled(id);
        assertEquals(JobState.FAILED, j.state());
        assertEquals(3, runs.get());
        assertEquals("gave up after 3 attempts: IOException: storage hiccup", j.lastError());
    }

    @Test
    void outOfMemoryAndStackOverflow_failTheJobWithTheReason_andTheWorkerGoesOn() throws Exception {
        engine(Map.of()).registerHandler("oom", ctx -> {
            throw new OutOfMemoryError("Java heap space");
        });
        p.registerHandler("deep", ctx -> {
            throw new StackOverflowError();
        });
        UUID oom = p.jobs().enqueue("oom", null, null);
        UUID deep = p.jobs().enqueue("deep", null, null);
        UUID fine = p.jobs().enqueue(CountingHandler.KIND, null, null);
        p.startWorkers(1);
        Job o = settled(oom);
        assertEquals(JobState.FAILED, o.state());
        assertTrue(o.lastError().startsWith("OutOfMemoryError: Java heap space (the input needs more memory"), o.lastError());
        Job d = settled(deep);
        assertEquals(JobState.FAILED, d.state());
        assertEquals("StackOverflowError", d.lastError());
        assertEquals(JobState.SUCCEEDED, settled(fine).state(), "the same worker ran the next job");
    }

    @Test
    void permanent_byKindOfFailure() {
        assertTrue(WorkerPool.permanent(new MalformedInputException(ErrorCode.UNKNOWN_FORMAT, null, "bad")));
        assertTrue(WorkerPool.permanent(new ObjectNotFoundException("scenes/x/original/a.ply")));
        assertTrue(WorkerPool.permanent(new IllegalStateException("a bug")));
        assertFalse(WorkerPool.permanent(new IOException("reset")));
        assertFalse(WorkerPool.permanent(new UncheckedIOException(new IOException("reset"))));
        assertFalse(WorkerPool.permanent(new SQLException("gone")));
        assertFalse(WorkerPool.permanent(new ProcessingException("database error", null)));
        assertFalse(WorkerPool.permanent(software.amazon.awssdk.core.exception.SdkClientException.create("timeout")),
                "the storage SDK's own failures are transient");
    }

    @Test
    void reason_readableForEachKind() {
        assertEquals("IllegalStateException", WorkerPool.reason(new IllegalStateException()));
        assertEquals("IOException: reset", WorkerPool.reason(new IOException("reset")));
        assertTrue(WorkerPool.reason(new OutOfMemoryError()).startsWith("OutOfMemoryError (the input needs more"));
        MalformedInputException m = new MalformedInputException(ErrorCode.UNKNOWN_FORMAT, null, "bad");
        assertEquals(m.toString(), WorkerPool.reason(m));
    }
}
