package dev.vsa.core.format.util;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SPZ and KHR writers' background task: what a task throws comes out of await as it was thrown. */
class BackgroundTaskTest {
    @Test
    void await_taskThrowsError_sameError() {
        // The SPZ and KHR writers' own copies wrapped an Error in IllegalStateException (the "vsa bug" exception),
        // so an OutOfMemoryError on their thread was reported as an internal error; the renderer's copy did not.
        OutOfMemoryError oom = new OutOfMemoryError("test");
        try (BackgroundTask t = new BackgroundTask("t", "testing")) {
            t.submit(() -> {
                throw oom;
            });
            assertSame(oom, assertThrows(OutOfMemoryError.class, t::await));
        }
    }

    @Test
    void await_taskThrowsIoOrRuntime_sameException() {
        IOException io = new IOException("disk full");
        IllegalArgumentException bad = new IllegalArgumentException("bad value");
        try (BackgroundTask t = new BackgroundTask("t", "testing")) {
            t.submit(() -> {
                throw io;
            });
            assertSame(io, assertThrows(IOException.class, t::await));
            t.submit(() -> {
                throw bad;
            });
            assertSame(bad, assertThrows(IllegalArgumentException.class, t::await));
            t.submit(() -> {
                throw new Exception("checked");
            });
            assertThrows(IllegalStateException.class, t::await);
            assertDoesNotThrow(t::await); // nothing pending
        }
    }

    @Test
    void submit_previousNotAwaited_illegalState() throws IOException {
        try (BackgroundTask t = new BackgroundTask("t", "testing")) {
            t.submit(() -> null);
            assertThrows(IllegalStateException.class, () -> t.submit(() -> null));
            t.await();
        }
    }

    @Test
    void await_interrupted_interruptedIoWithFlagKept() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (BackgroundTask t = new BackgroundTask("t", "testing")) {
            t.submit(() -> {
                release.await();
                return null;
            });
            Thread.currentThread().interrupt();
            InterruptedIOException e = assertThrows(InterruptedIOException.class, t::await);
            assertEquals("interrupted while testing", e.getMessage());
            assertTrue(Thread.interrupted()); // and clears it for the rest of the test
            release.countDown();
        }
    }

    @Test
    void close_failedTaskNotAwaited_abandonedQuietly() {
        BackgroundTask t = new BackgroundTask("t", "testing");
        t.submit(() -> {
            throw new IOException("abandoned");
        });
        assertDoesNotThrow(t::close);
    }
}
