package dev.vsa.cli.commands;

import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;

import java.io.IOException;
import java.nio.file.Path;

/** The splat conversions the commands share (one place to switch to core's converter). */
final class Conversions {
    private Conversions() {
    }

    /** Result of one conversion. */
    record Result(SplatFormat from, SplatFormat to, long splats, int shDegree) {
    }

    /** Reads {@code in} (format by content) and writes {@code out} as {@code to}, streaming in batches. */
    static Result convert(Path in, Path out, SplatFormat to, WriteOptions options, ProgressListener progress)
            throws IOException {
        try (SplatReader r = Splats.open(in)) {
            var info = r.info();
            try (SplatWriter w = Splats.create(out, to, info.layout(), options)) {
                SplatBatch batch = new SplatBatch(info.layout(), SplatBatch.DEFAULT_CAPACITY);
                long done = 0;
                int n;
                while ((n = r.read(batch)) > 0) {
                    w.write(batch);
                    done += n;
                    progress.progress(done, info.count());
                }
                w.finish();
                return new Result(info.format(), to, done, info.layout().shDegree());
            }
        }
    }
}
