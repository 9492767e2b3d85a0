package dev.vsa.core.render;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;

import java.time.Duration;

/** The wall-time limit of one render, checked between blocks of work; also honours thread interruption. */
final class Budget {
    private final long start = System.nanoTime();
    private final long deadline;
    private final Duration limit;

    Budget(Duration limit) {
        this.limit = limit;
        this.deadline = limit == null ? Long.MAX_VALUE : start + limit.toNanos();
    }

    /**
     * @throws MalformedInputException {@code LIMIT_EXCEEDED} once the budget is spent
     * @throws java.util.concurrent.CancellationException if the rendering thread was interrupted
     */
    void check() {
        if (limit != null && System.nanoTime() - deadline > 0) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, null,
                    "the render took longer than its time budget of " + limit.toMillis() + " ms");
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new java.util.concurrent.CancellationException("render interrupted");
        }
    }

    long elapsedMillis() {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
