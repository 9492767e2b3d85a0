package dev.vsa.core.splat;

import dev.vsa.core.progress.ProgressListener;

import java.io.IOException;

/** Passes rows through, counting them and telling a progress listener. */
final class CountingReader implements SplatReader {
    private final SplatReader in;
    private final ProgressListener progress;
    private long rows;

    CountingReader(SplatReader in, ProgressListener progress) {
        this.in = in;
        this.progress = progress;
    }

    long rows() {
        return rows;
    }

    @Override
    public SplatFileInfo info() {
        return in.info();
    }

    @Override
    public int read(SplatBatch batch) throws IOException {
        int n = in.read(batch);
        rows += n;
        progress.progress(rows, in.info().count());
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
