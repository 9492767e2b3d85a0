package dev.vsa.core.splat;

import java.io.Closeable;
import java.io.IOException;

/**
 * Reads the splats of one file in order, a batch at a time. Obtain one from {@link Splats#open}.
 * Every reader checks its header's counts against the file's length before allocating, and reports bad data
 * with {@link dev.vsa.core.error.MalformedInputException}.
 */
public interface SplatReader extends Closeable {
    /** Header facts, known once the reader is open. */
    SplatFileInfo info();

    /**
     * Fills {@code batch} from its first row with the next splats, in the batch's layout (which must equal
     * {@code info().layout()}), and sets its size.
     *
     * @return rows read; 0 once every splat has been read
     * @throws dev.vsa.core.error.MalformedInputException if the data is bad
     * @throws IllegalArgumentException if the batch's layout is not this reader's
     * @throws IOException on a read failure
     */
    int read(SplatBatch batch) throws IOException;
}
