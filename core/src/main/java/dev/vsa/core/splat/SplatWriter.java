package dev.vsa.core.splat;

import java.io.Closeable;
import java.io.IOException;

/**
 * Writes splats to one file, a batch at a time, then {@link #finish()}es it. The total count need not be
 * known in advance. {@link #close()} without {@code finish()} abandons the output (and deletes it).
 * Obtain one from {@link Splats#create}.
 */
public interface SplatWriter extends Closeable {
    /**
     * Appends the batch's rows (its layout must be the writer's).
     *
     * @throws IllegalArgumentException if the layout differs
     * @throws IllegalStateException after {@link #finish()}
     * @throws IOException on a write failure
     */
    void write(SplatBatch batch) throws IOException;

    /** Completes the file (headers, compression, table of contents). */
    void finish() throws IOException;
}
