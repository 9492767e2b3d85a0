package dev.vsa.core.format;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.testing.SyntheticSplats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SplatFileCodecTest {
    /** Bytes: colour and alpha to 1/255 (rounded: half a step), rotation components to 1/128. */
    static final Tolerances BYTES = new Tolerances(0, 1e-5, 2e-4, 0.5 / 255 + 1e-6, 0.5 / 255 / 0.2820948 + 1e-5, 0);

    @TempDir
    Path dir;

    @Test
    void read_minimalFixture_matchesSplatTransform() throws IOException {
        SplatBatch ours = Fixtures.readAll(Fixtures.splat("minimal.splat"));
        assertEquals(4, ours.size());
        SplatBatch theirs = Fixtures.readAll(Fixtures.splat("st-minimal.ply"));
        // splat-transform decodes rotation bytes as b/255*2-1, vsa as (b-128)/128 (antimatter15's own reader).
        new Tolerances(0, 1e-6, 1e-4, 1e-6, 1e-5, 0).check(theirs, ours);
    }

    @Test
    void write_thenRead_withinByteQuantization() throws IOException {
        SplatLayout layout = SyntheticSplats.layout(0);
        Path file = SyntheticSplats.write(dir.resolve("a.splat"), SplatFormat.SPLAT, layout, 5000, 3);
        assertEquals(5000 * 32, Files.size(file));
        BYTES.check(SyntheticSplats.generate(layout, 5000, 3), Fixtures.readAll(file));
    }

    @Test
    void write_dropsShAndExtras() throws IOException {
        SplatLayout layout = SyntheticSplats.layout(3, "extra");
        Path file = SyntheticSplats.write(dir.resolve("b.splat"), SplatFormat.SPLAT, layout, 10, 3);
        assertEquals(320, Files.size(file));
        assertEquals(SplatLayout.of(0), Fixtures.readAll(file).layout());
    }

    @Test
    void open_lengthNotMultipleOf32_badLength() throws IOException {
        Path file = dir.resolve("bad.splat");
        Files.write(file, new byte[33]);
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> Splats.open(file));
        assertEquals(ErrorCode.SPLAT_BAD_LENGTH, e.code());
        assertEquals("byte 32", e.where());
    }
}
