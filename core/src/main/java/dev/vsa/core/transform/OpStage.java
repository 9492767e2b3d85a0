package dev.vsa.core.transform;

import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFileInfo;
import dev.vsa.core.splat.SplatReader;

import java.io.IOException;

/** Applies a {@link RowOp} to each batch its upstream fills, reading on while every row is dropped. */
final class OpStage implements SplatReader {
    private final SplatReader up;
    private final RowOp op;
    private final SplatFileInfo info;

    OpStage(SplatReader up, RowOp op, long count) {
        this.up = up;
        this.op = op;
        SplatFileInfo u = up.info();
        this.info = new SplatFileInfo(u.format(), u.version(), u.variant(), count, u.layout(), u.fileSize());
    }

    @Override
    public SplatFileInfo info() {
        return info;
    }

    @Override
    public int read(SplatBatch batch) throws IOException {
        while (true) {
            int n = up.read(batch);
            if (n == 0) {
                return 0;
            }
            n = op.apply(batch.array(), batch.stride(), n);
            batch.setSize(n);
            if (n > 0) {
                return n;
            }
        }
    }

    @Override
    public void close() throws IOException {
        up.close();
    }
}
