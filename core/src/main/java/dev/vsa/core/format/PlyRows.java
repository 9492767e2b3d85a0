package dev.vsa.core.format;

import java.io.IOException;
import java.util.function.LongConsumer;

/**
 * Internal: a reader that can put its rows straight into binary PLY's row layout (the 3DGS property order {@code x y z
 * nx ny nz f_dc_0..2 f_rest_* opacity scale_0..2 rot_0..3}, normals zero, no extras), and a PLY or GLB writer that
 * takes them so. A conversion with no transform uses it instead of passing {@code SplatBatch}es: a SOG's rows are
 * computed from its decoded images once, into the block the writer copies out, not into a batch that is then
 * reordered, and blocks of rows are made and written on all cores.
 */
public interface PlyRows {
    /**
     * Puts rows {@code [first, first + n)} at {@code rows[0, n * floats)}, {@code floats} per row (3 + 3 + 3 + rest + 1
     * + 3 + 4 for the reader's layout). Safe to call from several threads at once for different rows. Callers ask for
     * each row once, in blocks handed out in row order (a block's call may start before an earlier block's): a reader
     * of streams (SPZ) makes a call wait until the earlier blocks' calls have taken their bytes.
     */
    void readPly(long first, int n, float[] rows) throws IOException;

    /** A writer that takes {@link PlyRows}. */
    interface Sink {
        /**
         * Writes rows {@code [0, count)} of {@code rows} (whose layout is this writer's), telling {@code progress} (on
         * the caller's thread) the rows written so far now and then; then {@code finish()} as usual.
         */
        void writeAll(PlyRows rows, long count, LongConsumer progress) throws IOException;
    }
}
