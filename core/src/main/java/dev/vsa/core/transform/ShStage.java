package dev.vsa.core.transform;

import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFileInfo;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;

import java.io.IOException;

/** Drops SH degrees above a limit: copies each row into the smaller layout (extras kept). */
final class ShStage implements SplatReader {
    private final SplatReader up;
    private final SplatFileInfo info;
    private SplatBatch inner;

    ShStage(SplatReader up, int degree) {
        this.up = up;
        SplatFileInfo u = up.info();
        this.info = new SplatFileInfo(u.format(), u.version(), u.variant(), u.count(),
                u.layout().withShDegree(degree), u.fileSize());
    }

    @Override
    public SplatFileInfo info() {
        return info;
    }

    @Override
    public int read(SplatBatch batch) throws IOException {
        if (!batch.layout().equals(info.layout())) {
            throw new IllegalArgumentException("batch layout " + batch.layout() + " is not " + info.layout());
        }
        if (inner == null || inner.capacity() < batch.capacity()) {
            inner = new SplatBatch(up.info().layout(), batch.capacity());
        }
        int n = up.read(inner);
        SplatLayout from = inner.layout(), to = batch.layout();
        int fs = from.stride(), ts = to.stride();
        int perFrom = from.restPerChannel(), perTo = to.restPerChannel();
        int extras = to.extras().size();
        float[] a = inner.array(), b = batch.array();
        for (int r = 0; r < n; r++) {
            int o = r * fs, d = r * ts;
            System.arraycopy(a, o, b, d, SplatLayout.REST);
            for (int c = 0; c < 3; c++) {
                System.arraycopy(a, o + SplatLayout.REST + c * perFrom, b, d + SplatLayout.REST + c * perTo, perTo);
            }
            System.arraycopy(a, o + from.extrasOffset(), b, d + to.extrasOffset(), extras);
        }
        batch.setSize(n);
        return n;
    }

    @Override
    public void close() throws IOException {
        up.close();
    }
}
