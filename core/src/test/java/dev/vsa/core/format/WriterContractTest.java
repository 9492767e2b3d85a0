package dev.vsa.core.format;

import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** What every writer promises in {@link SplatWriter#write}'s Javadoc, checked for each writable format. */
class WriterContractTest {

    @ParameterizedTest
    @EnumSource(SplatFormat.class)
    void write_otherLayout_illegalArgument(SplatFormat format, @TempDir Path dir) throws Exception {
        try (SplatWriter w = Splats.create(dir.resolve("out" + format.extension()), format, SplatLayout.of(1),
                WriteOptions.DEFAULTS)) {
            SplatBatch other = new SplatBatch(SplatLayout.of(0), 4);
            other.setSize(1);
            assertThrows(IllegalArgumentException.class, () -> w.write(other));
        }
    }

    @ParameterizedTest
    @EnumSource(SplatFormat.class)
    void write_afterFinish_illegalState(SplatFormat format, @TempDir Path dir) throws Exception {
        SplatLayout layout = SplatLayout.of(0);
        try (SplatWriter w = Splats.create(dir.resolve("out" + format.extension()), format, layout,
                WriteOptions.DEFAULTS)) {
            SplatBatch batch = new SplatBatch(layout, 4);
            batch.set(0, SplatLayout.ROT_W, 1f);
            batch.setSize(1);
            w.write(batch);
            w.finish();
            assertThrows(IllegalStateException.class, () -> w.write(batch));
        }
    }
}
