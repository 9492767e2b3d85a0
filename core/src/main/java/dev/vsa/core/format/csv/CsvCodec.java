package dev.vsa.core.format.csv;

import dev.vsa.core.format.SplatCodec;
import dev.vsa.core.format.util.BatchChecks;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.WriteOptions;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CSV, write only (as splat-transform writes it): a header of the 3DGS PLY's column names, then one line a splat
 * with every column's value (the model's: log-scales, logit opacity, w x y z rotations), comma-separated, each
 * float in Java's shortest round-trip form. For spreadsheets and scripts.
 */
public final class CsvCodec implements SplatCodec {
    /** Creates the codec (stateless). */
    public CsvCodec() {
    }

    @Override
    public SplatFormat format() {
        return SplatFormat.CSV;
    }

    @Override
    public Match sniff(ByteBuffer head, long fileSize, String fileName) {
        return Match.NO; // not read
    }

    @Override
    public SplatReader openReader(Path path) {
        throw new UnsupportedOperationException(".csv is written, not read, by vsa");
    }

    @Override
    public SplatWriter openWriter(Path path, SplatLayout layout, WriteOptions options) throws IOException {
        Writer out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(path), StandardCharsets.UTF_8), 1 << 20);
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < layout.stride(); i++) {
            header.append(i == 0 ? "" : ",").append(layout.columnName(i));
        }
        out.write(header.append('\n').toString());
        return new SplatWriter() {
            private boolean done;
            private final StringBuilder line = new StringBuilder(1024);

            @Override
            public void write(SplatBatch batch) throws IOException {
                BatchChecks.checkWrite(done, layout, batch);
                float[] a = batch.array();
                int stride = batch.stride();
                for (int r = 0; r < batch.size(); r++) {
                    line.setLength(0);
                    for (int c = 0; c < stride; c++) {
                        if (c > 0) {
                            line.append(',');
                        }
                        line.append(a[r * stride + c]);
                    }
                    out.write(line.append('\n').toString());
                }
            }

            @Override
            public void finish() throws IOException {
                if (done) {
                    throw new IllegalStateException("the writer is finished or closed");
                }
                done = true;
                out.close();
            }

            @Override
            public void close() throws IOException {
                if (!done) {
                    done = true;
                    out.close();
                    Files.deleteIfExists(path);
                }
            }
        };
    }
}
