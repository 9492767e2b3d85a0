package dev.vsa.core.format.util;

import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatLayout;

/**
 * The preconditions every {@link dev.vsa.core.splat.SplatReader#read} and {@link dev.vsa.core.splat.SplatWriter#write}
 * states, checked in one place.
 */
public final class BatchChecks {
    private BatchChecks() {
    }

    /**
     * @param done whether the writer was finished (or closed)
     * @throws IllegalStateException if {@code done}
     * @throws IllegalArgumentException if the batch's layout is not the writer's
     */
    public static void checkWrite(boolean done, SplatLayout layout, SplatBatch batch) {
        if (done) {
            throw new IllegalStateException("the writer is finished or closed");
        }
        if (!batch.layout().equals(layout)) {
            throw new IllegalArgumentException("batch layout " + batch.layout() + " is not the writer's " + layout);
        }
    }

    /** @throws IllegalArgumentException if the batch's layout is not the reader's */
    public static void checkRead(SplatLayout layout, SplatBatch batch) {
        if (!batch.layout().equals(layout)) {
            throw new IllegalArgumentException("batch layout " + batch.layout() + " is not the reader's " + layout);
        }
    }

    /**
     * The start of a read of a reader with {@code left} rows to go: {@link #checkRead}, then how many rows this read
     * fills (up to the batch's capacity); at the end 0, the batch emptied.
     */
    public static int rowsToRead(SplatLayout layout, SplatBatch batch, long left) {
        checkRead(layout, batch);
        int rows = (int) Math.min(batch.capacity(), left);
        if (rows <= 0) {
            batch.setSize(0);
            return 0;
        }
        return rows;
    }
}
