package dev.vsa.core.format;

import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** What every reader promises in {@link SplatReader#read}'s Javadoc, checked for each readable format. */
class ReaderContractTest {

    @ParameterizedTest
    @EnumSource(value = SplatFormat.class, mode = EnumSource.Mode.EXCLUDE, names = {"CSV"})
    void read_otherLayout_illegalArgument(SplatFormat format, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("in" + format.extension());
        SplatLayout layout = SplatLayout.of(0);
        try (SplatWriter w = Splats.create(file, format, layout, WriteOptions.DEFAULTS)) {
            SplatBatch batch = new SplatBatch(layout, 4);
            batch.set(0, SplatLayout.ROT_W, 1f);
            batch.setSize(1);
            w.write(batch);
            w.finish();
        }
        assertOtherLayoutRefused(file);
    }

    @Test
    void read_otherLayout_illegalArgument_ksplat(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("minimal.ksplat");
        try (InputStream in = ReaderContractTest.class.getResourceAsStream("/splats/minimal.ksplat")) {
            Files.copy(in, file);
        }
        assertOtherLayoutRefused(file);
    }

    private static void assertOtherLayoutRefused(Path file) throws Exception {
        try (SplatReader r = Splats.open(file)) {
            SplatLayout other = SplatLayout.of(r.info().layout().shDegree() == 3 ? 0 : 3);
            assertThrows(IllegalArgumentException.class, () -> r.read(new SplatBatch(other, 4)));
        }
    }
}
