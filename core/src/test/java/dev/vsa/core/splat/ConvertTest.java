package dev.vsa.core.splat;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.Fixtures;
import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.testing.SyntheticSplats;
import dev.vsa.core.transform.Transform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConvertTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"out.ply", "out.compressed.ply", "out.splat"})
    void convert_byOutputName_writesThatFormat(String name) throws IOException {
        Path in = SyntheticSplats.write(dir.resolve("in.ply"), SplatFormat.PLY, SyntheticSplats.layout(1), 3000, 4);
        Path out = dir.resolve(name);
        ConvertResult r = Splats.convert(in, out, ConvertOptions.DEFAULTS, ProgressListener.NONE);
        SplatFormat expected = SplatFormat.byFileName(name).orElseThrow();
        assertEquals(expected, r.outputFormat());
        assertEquals(expected, Splats.detect(out));
        assertEquals(3000, r.splatsIn());
        assertEquals(3000, r.splatsOut());
        assertEquals(Files.size(out), r.bytesOut());
        assertEquals(SplatFormat.PLY, r.input().format());
        assertEquals(3000, Fixtures.readAll(out).size());
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            Path plain = Files.createFile(dir.resolve("plain"));
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(out),
                    "the output gets the usual permissions, not a temporary file's owner-only ones");
            Files.delete(plain);
        }
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files are left");
        }
    }

    @Test
    void convert_withTransforms_appliesThem() throws IOException {
        Path in = SyntheticSplats.write(dir.resolve("in.ply"), SplatFormat.PLY, SyntheticSplats.layout(3), 1000, 4);
        Path out = dir.resolve("out.ply");
        ConvertResult r = Splats.convert(in, out, new ConvertOptions(null, null,
                Transform.parseAll(List.of("sh=0", "decimate=100"))), ProgressListener.NONE);
        assertEquals(1000, r.splatsIn());
        assertEquals(100, r.splatsOut());
        SplatBatch b = Fixtures.readAll(out);
        assertEquals(100, b.size());
        assertEquals(0, b.layout().shDegree());
    }

    @Test
    void convert_truncatedInput_leavesNoFile() throws IOException {
        Path in = SyntheticSplats.write(dir.resolve("in.ply"), SplatFormat.PLY, SyntheticSplats.layout(0), 1000, 4);
        try (FileChannel ch = FileChannel.open(in, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 100);
        }
        Path out = dir.resolve("out.compressed.ply");
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> Splats.convert(in, out, ConvertOptions.DEFAULTS, ProgressListener.NONE));
        assertEquals(ErrorCode.PLY_TRUNCATED, e.code());
        assertFalse(Files.exists(out));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the input remains");
        }
    }

    @Test
    void convert_unknownOutputName_illegalArgument() throws IOException {
        Path in = SyntheticSplats.write(dir.resolve("in.ply"), SplatFormat.PLY, SyntheticSplats.layout(0), 10, 4);
        assertThrows(IllegalArgumentException.class,
                () -> Splats.convert(in, dir.resolve("out.xyz"), ConvertOptions.DEFAULTS, ProgressListener.NONE));
    }
}
