package dev.vsa.core.format.spz;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.PlyRows;
import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.splat.ConvertOptions;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;
import dev.vsa.core.testing.SyntheticSplats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPZ to PLY through {@link PlyRows} (rows straight into PLY's order, on all cores) gives what batches give. */
class SpzPlyRowsTest {
    /** More than one of the PLY writer's blocks (about 2,000 SH3 rows), not a multiple of one. */
    private static final int COUNT = 9000;

    @TempDir
    Path dir;

    /** frame: the v4 coordinate-system value written over vsa's RDF (4 = RUB: y and z negated on read), 0 = keep. */
    @ParameterizedTest
    @CsvSource({"4,0,0", "4,1,0", "4,3,0", "4,3,4", "4,2,1", "3,0,0", "3,3,0", "2,3,0"})
    void convertToPly_sameBytesAsThroughBatches(int version, int degree, int frame) throws IOException {
        Path spz = spz(version, degree);
        if (frame != 0) {
            byte[] b = Files.readAllBytes(spz);
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(40, frame);
            Files.write(spz, b);
        }
        try (SplatReader r = Splats.open(spz)) {
            assertInstanceOf(PlyRows.class, r);
        }
        Path direct = dir.resolve("direct.ply");
        Splats.convert(spz, direct, ConvertOptions.DEFAULTS, ProgressListener.NONE);
        assertEquals(-1, Files.mismatch(direct, batched(spz, SplatFormat.PLY)));
        // GLB's writer takes PlyRows too (its blocks claimed in row order, as readPly needs)
        Path glb = dir.resolve("direct.glb");
        Splats.convert(spz, glb, ConvertOptions.DEFAULTS, ProgressListener.NONE);
        assertEquals(-1, Files.mismatch(glb, batched(spz, SplatFormat.GLB)));
    }

    @Test
    void readPly_rowsAskedForAgain_refused() throws IOException {
        Path spz = spz(4, 1);
        try (SplatReader r = Splats.open(spz)) {
            PlyRows rows = (PlyRows) r;
            float[] f = new float[100 * 26];
            rows.readPly(0, 100, f);
            assertThrows(IllegalStateException.class, () -> rows.readPly(0, 100, f));
            assertThrows(IndexOutOfBoundsException.class, () -> rows.readPly(COUNT - 10, 11, f));
        }
    }

    /** A corrupt stream fails the conversion as it fails a read through batches, and leaves no output. */
    @Test
    void convertToPly_corruptLateInStream_sameErrorAsBatches() throws IOException {
        byte[] v4 = Files.readAllBytes(spz(4, 3));
        ByteBuffer h = ByteBuffer.wrap(v4).order(ByteOrder.LITTLE_ENDIAN);
        int toc = h.getInt(16);
        long start = toc + 16L * 6;
        for (int s = 0; s < 5; s++) {
            start += h.getLong(toc + 16 * s);
        }
        long shBytes = h.getLong(toc + 16 * 5);
        // from the middle of the SH stream on: over at least one zstd block header
        for (int i = (int) (start + shBytes / 2); i < start + shBytes; i++) {
            v4[i] = (byte) 0xA5;
        }
        Path bad = dir.resolve("bad.spz");
        Files.write(bad, v4);
        MalformedInputException viaBatches = assertThrows(MalformedInputException.class, () -> batched(bad, SplatFormat.PLY));
        Path out = dir.resolve("out.ply");
        MalformedInputException direct = assertThrows(MalformedInputException.class,
                () -> Splats.convert(bad, out, ConvertOptions.DEFAULTS, ProgressListener.NONE));
        assertTrue(direct.code() == ErrorCode.SPZ_BAD_COMPRESSION || direct.code() == ErrorCode.SPZ_TRUNCATED, direct.code().toString());
        assertEquals(viaBatches.code(), direct.code());
        assertTrue(Files.notExists(out));
    }

    private Path spz(int version, int degree) throws IOException {
        Path file = dir.resolve("a.spz");
        SplatBatch rows = SyntheticSplats.generate(SyntheticSplats.layout(degree), COUNT, 5 + degree);
        try (SplatWriter w = Splats.create(file, SplatFormat.SPZ, rows.layout(), new WriteOptions(Math.max(3, version)))) {
            w.write(rows);
            w.finish();
        }
        if (version == 2) { // vsa writes 3 and 4: a v2 file is a v3 payload with 3-byte first-three rotations
            return v2From(file);
        }
        return file;
    }

    /** The file the general path writes: batches (of a size that does not divide the count) into the writer. */
    private Path batched(Path spz, SplatFormat format) throws IOException {
        Path out = dir.resolve("batched." + format.id());
        try (SplatReader r = Splats.open(spz);
             // (the count known ahead, as a conversion tells its writer)
             SplatWriter w = Splats.create(out, format, r.info().layout(), WriteOptions.DEFAULTS.withExpectedCount(r.info().count()))) {
            SplatBatch b = new SplatBatch(r.info().layout(), 999);
            while (r.read(b) > 0) {
                w.write(b);
            }
            w.finish();
        }
        return out;
    }

    /**
     * The v3 file as a raw (not gzipped, as older tools stored it) v2 payload: the same columns, each rotation its
     * first three bytes (read as v2's first-three components: arbitrary values, the same on both paths).
     */
    private Path v2From(Path v3) throws IOException {
        byte[] p;
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(v3))) {
            p = in.readAllBytes();
        }
        ByteBuffer h = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
        int n = h.getInt(8);
        int rotAt = 16 + n * (9 + 1 + 3 + 3);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(p, 0, rotAt);
        for (int i = 0; i < n; i++) {
            out.write(p, rotAt + 4 * i, 3);
        }
        out.write(p, rotAt + 4 * n, p.length - rotAt - 4 * n);
        byte[] v2 = out.toByteArray();
        ByteBuffer.wrap(v2).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 2);
        Path file = dir.resolve("v2.spz");
        Files.write(file, v2);
        return file;
    }
}
