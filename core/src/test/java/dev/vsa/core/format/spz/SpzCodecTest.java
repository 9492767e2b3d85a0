package dev.vsa.core.format.spz;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.Fixtures;
import dev.vsa.core.format.util.AxisFlips;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;
import dev.vsa.core.testing.SyntheticSplats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpzCodecTest {
    private static final float C0 = 0.28209479f;

    @TempDir
    Path dir;

    static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    /** Largest per-column errors SPZ's quantization allows (positions at 12 fractional bits). */
    static void assertWithinSpzBounds(SplatBatch expected, SplatBatch actual) {
        assertEquals(expected.size(), actual.size());
        int per = expected.layout().restPerChannel();
        for (int i = 0; i < expected.size(); i++) {
            String at = "splat " + i;
            for (int c = 0; c < 3; c++) {
                assertEquals(expected.get(i, c), actual.get(i, c), 0.5 / 4096 + 1e-5, at + " position");
                assertEquals(expected.get(i, SplatLayout.SCALE_0 + c), actual.get(i, SplatLayout.SCALE_0 + c), 1 / 32.0 + 1e-5, at + " scale");
                assertEquals(expected.get(i, SplatLayout.DC_0 + c), actual.get(i, SplatLayout.DC_0 + c), 0.5 / (0.15 * 255) + 1e-5, at + " f_dc");
            }
            assertEquals(sigmoid(expected.get(i, SplatLayout.OPACITY)), sigmoid(actual.get(i, SplatLayout.OPACITY)), 0.5 / 255 + 1e-5, at + " opacity");
            double dot = 0;
            for (int c = 0; c < 4; c++) {
                dot += expected.get(i, SplatLayout.ROT_W + c) * actual.get(i, SplatLayout.ROT_W + c);
            }
            assertTrue(1 - Math.abs(dot) < 2e-5, at + " rotation, |dot| = " + Math.abs(dot));
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < per; k++) {
                    int col = SplatLayout.REST + c * per + k;
                    double bound = (k < 3 ? 4.5 : 8.5) / 128 + 1e-5;
                    assertEquals(expected.get(i, col), actual.get(i, col), bound, at + " f_rest_" + (c * per + k));
                }
            }
        }
    }

    private Path write(String name, SplatBatch rows, int version) throws IOException {
        Path file = dir.resolve(name);
        try (SplatWriter w = Splats.create(file, SplatFormat.SPZ, rows.layout(), new WriteOptions(version))) {
            w.write(rows);
            w.finish();
        }
        return file;
    }

    @ParameterizedTest
    @CsvSource({"3,0", "3,1", "3,2", "3,3", "4,0", "4,1", "4,2", "4,3"})
    void write_thenRead_withinQuantization(int version, int degree) throws IOException {
        SplatBatch rows = SyntheticSplats.generate(SyntheticSplats.layout(degree), 700, 11 + degree);
        Path file = write("a.spz", rows, version);
        try (SplatReader r = Splats.open(file)) {
            assertEquals(SplatFormat.SPZ, r.info().format());
            assertEquals(version, r.info().version());
            assertEquals(700, r.info().count());
            assertEquals(SplatLayout.of(degree), r.info().layout());
        }
        SplatBatch back = Fixtures.readAll(file);
        assertWithinSpzBounds(rows, back);
        // Decoded values encode to the same values: a second trip loses nothing more (a rotation whose two
        // largest components nearly tie may pick the other one as "largest", within the same bound).
        SplatBatch again = Fixtures.readAll(write("b.spz", back, version));
        assertWithinSpzBounds(back, again);
        for (int i = 0; i < back.size(); i++) {
            for (int c = 0; c < back.stride(); c++) {
                if (c < SplatLayout.ROT_W || c > SplatLayout.ROT_Z) {
                    assertEquals(back.get(i, c), again.get(i, c), "splat " + i + " column " + c);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4})
    void write_manyBatches_matchesOneBatch(int version) throws IOException {
        SplatLayout layout = SyntheticSplats.layout(1);
        SplatBatch all = SyntheticSplats.generate(layout, 5000, 3);
        Path one = write("one.spz", all, version);
        Path many = dir.resolve("many.spz");
        try (SplatWriter w = Splats.create(many, SplatFormat.SPZ, layout, new WriteOptions(version))) {
            SplatBatch part = new SplatBatch(layout, 777);
            for (int start = 0; start < 5000; start += 777) {
                int n = Math.min(777, 5000 - start);
                System.arraycopy(all.array(), start * all.stride(), part.array(), 0, n * all.stride());
                part.setSize(n);
                w.write(part);
            }
            w.finish();
        }
        assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(many));
    }

    @Test
    void write_largeScene_lowersFractionalBits() throws IOException {
        SplatBatch rows = SyntheticSplats.generate(SplatLayout.of(0), 10, 5);
        rows.set(3, SplatLayout.X, 50_000f);
        Path file = write("big.spz", rows, 4);
        ByteBuffer h = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(7, h.get(13)); // 50000 * 2^7 < 2^23 <= 50000 * 2^8
        assertEquals(50_000f, Fixtures.readAll(file).get(3, SplatLayout.X), 1 / 256f);
    }

    @Test
    void close_withoutFinish_leavesNothing() throws IOException {
        SplatBatch rows = SyntheticSplats.generate(SplatLayout.of(3), 100, 5);
        try (SplatWriter w = Splats.create(dir.resolve("gone.spz"), SplatFormat.SPZ, rows.layout(), WriteOptions.DEFAULTS)) {
            w.write(rows);
        }
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void write_nan_isRejected() throws IOException {
        SplatBatch rows = SyntheticSplats.generate(SplatLayout.of(0), 4, 5);
        rows.set(2, SplatLayout.OPACITY, Float.NaN);
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> write("nan.spz", rows, 4));
        assertEquals(ErrorCode.NON_FINITE_VALUES, e.code());
        assertEquals("splat 2", e.where());
        assertTrue(Files.notExists(dir.resolve("nan.spz")));
    }

    @ParameterizedTest
    @CsvSource({"minimal-v3.spz,3,gzip", "minimal-v4.spz,4,zstd"})
    void read_referenceFixtures_asSplatTransformReads(String name, int version, String variant) throws IOException {
        // Written by the reference library (@adobe/spz) from minimal.splat's values with from: RDF, so stored as RUB,
        // but with no frame declared: read unconverted, as splat-transform 3.7.0 reads them, z is minimal.splat's
        // negated (y is 0 throughout).
        try (SplatReader r = Splats.open(Fixtures.splat(name))) {
            assertEquals(version, r.info().version());
            assertEquals(variant, r.info().variant());
            assertEquals(4, r.info().count());
        }
        SplatBatch spz = Fixtures.readAll(Fixtures.splat(name));
        SplatBatch splat = Fixtures.readAll(Fixtures.splat("minimal.splat"));
        float[][] positions = {{-1, 0, 1}, {0, 0, 1}, {-1, 0, 0}, {0, 0, 0}}; // splat-transform -w NAME out.csv
        for (int i = 0; i < 4; i++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(positions[i][c], spz.get(i, c), 1e-6, "position");
                assertEquals(Math.log(0.1), spz.get(i, SplatLayout.SCALE_0 + c), 1 / 32.0, "scale");
                float colour = 0.5f + C0 * spz.get(i, SplatLayout.DC_0 + c);
                float expected = 0.5f + C0 * splat.get(i, SplatLayout.DC_0 + c);
                assertEquals(expected, colour, 0.5 / 255 + C0 * 0.5 / (0.15 * 255), "colour");
            }
            assertEquals(splat.get(i, SplatLayout.X), spz.get(i, SplatLayout.X), 0.0);
            assertEquals(-splat.get(i, SplatLayout.Z), spz.get(i, SplatLayout.Z), 0.0);
            assertEquals(230 / 255f, sigmoid(spz.get(i, SplatLayout.OPACITY)), 0.5 / 255);
            assertEquals(1f, spz.get(i, SplatLayout.ROT_W), 1e-6);
        }
        SplatBatch v3 = Fixtures.readAll(Fixtures.splat("minimal-v3.spz"));
        assertArrayEquals(Arrays.copyOf(v3.array(), 4 * v3.stride()), Arrays.copyOf(spz.array(), 4 * spz.stride()));
    }

    @ParameterizedTest
    @CsvSource({"minimal-v2.spz,gzip", "minimal-raw.spz,uncompressed"})
    void read_handMadeV2Fixtures_knownValues(String name, String variant) throws IOException {
        // splat-transform's hand-made v2 payload: the .splat's positions unconverted (read unconverted: the same as
        // minimal.splat, as splat-transform reads them), colour bytes copied from the .splat (not SPZ's 0.15 scale),
        // first-three rotations.
        try (SplatReader r = Splats.open(Fixtures.splat(name))) {
            assertEquals(2, r.info().version());
            assertEquals(variant, r.info().variant());
        }
        SplatBatch spz = Fixtures.readAll(Fixtures.splat(name));
        SplatBatch splat = Fixtures.readAll(Fixtures.splat("minimal.splat"));
        float[][] positions = {{-1, 0, -1}, {0, 0, -1}, {-1, 0, 0}, {0, 0, 0}}; // splat-transform -w NAME out.csv
        int[][] colourBytes = {{85, 85, 128}, {170, 85, 128}, {85, 170, 128}, {170, 170, 128}};
        for (int i = 0; i < 4; i++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(positions[i][c], spz.get(i, c), 1e-6);
                assertEquals(splat.get(i, c), spz.get(i, c), 1e-6);
                assertEquals((colourBytes[i][c] / 255f - 0.5f) / 0.15f, spz.get(i, SplatLayout.DC_0 + c), 1e-6);
                assertEquals(123 / 16f - 10, spz.get(i, SplatLayout.SCALE_0 + c), 1e-6);
            }
            assertEquals(1f, spz.get(i, SplatLayout.ROT_W), 1e-4);
        }
        SplatBatch raw = Fixtures.readAll(Fixtures.splat("minimal-raw.spz"));
        assertArrayEquals(Arrays.copyOf(raw.array(), 4 * raw.stride()), Arrays.copyOf(spz.array(), 4 * spz.stride()));
    }

    @Test
    void read_version1_halfPositions() throws IOException {
        // Version 1 (never released by the reference, still read by it): float16 positions, first-three rotations.
        ByteBuffer b = ByteBuffer.allocate(16 + 6 + 1 + 3 + 3 + 3).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(SpzReader.MAGIC).putInt(1).putInt(1).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        b.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x3800); // 1, -2, 0.5
        b.put((byte) 255).put(new byte[] {(byte) 128, (byte) 128, (byte) 128}).put(new byte[] {(byte) 160, (byte) 160, (byte) 160});
        b.put(new byte[] {(byte) 128, (byte) 128, (byte) 128});
        Path file = dir.resolve("v1.spz");
        Files.write(file, gzip(b.array()));
        SplatBatch r = Fixtures.readAll(file);
        assertEquals(1, r.size());
        assertEquals(1f, r.get(0, SplatLayout.X));
        assertEquals(-2f, r.get(0, SplatLayout.Y)); // no frame declared: read unconverted
        assertEquals(0.5f, r.get(0, SplatLayout.Z));
        assertEquals(0f, r.get(0, SplatLayout.SCALE_0));
        assertEquals(1f, r.get(0, SplatLayout.ROT_W), 1e-4);
    }

    // ---- hand-written bad files ----

    private static byte[] legacyPayload(int version, int count, int shDegree, int extraBytes) {
        int dim = (shDegree + 1) * (shDegree + 1) - 1;
        int row = 9 + 1 + 3 + 3 + (version >= 3 ? 4 : 3) + dim * 3;
        ByteBuffer b = ByteBuffer.allocate(16 + count * row + extraBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(SpzReader.MAGIC).putInt(version).putInt(count).put((byte) shDegree).put((byte) 12).put((byte) 0).put((byte) 0);
        return b.array();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(data);
        }
        return bos.toByteArray();
    }

    private MalformedInputException readBad(byte[] content) throws IOException {
        Path file = dir.resolve("bad.spz");
        Files.write(file, content);
        return assertThrows(MalformedInputException.class, () -> {
            try (SplatReader r = Splats.open(file)) {
                SplatBatch b = new SplatBatch(r.info().layout(), 64);
                while (r.read(b) > 0) {
                    // drain
                }
            }
        });
    }

    private byte[] validV4(int count, int degree) throws IOException {
        return Files.readAllBytes(write("v4.spz", SyntheticSplats.generate(SplatLayout.of(degree), count, 1), 4));
    }

    @Test
    void read_badMagic() throws IOException {
        byte[] p = legacyPayload(3, 1, 0, 0);
        p[0] = 'X';
        assertEquals(ErrorCode.SPZ_BAD_MAGIC, readBad(gzip(p)).code());
    }

    @Test
    void read_gzipOfNonSpz_badMagic() throws IOException {
        assertEquals(ErrorCode.SPZ_BAD_MAGIC, readBad(gzip("hello world, not a splat".getBytes())).code());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5, 99})
    void read_unknownVersion(int version) throws IOException {
        byte[] v4 = validV4(2, 0);
        ByteBuffer.wrap(v4).order(ByteOrder.LITTLE_ENDIAN).putInt(4, version);
        assertEquals(ErrorCode.SPZ_UNSUPPORTED_VERSION, readBad(v4).code());
        assertEquals(ErrorCode.SPZ_UNSUPPORTED_VERSION, readBad(gzip(legacyPayload(version, 1, 0, 0))).code());
    }

    @Test
    void read_truncatedGzip() throws IOException {
        byte[] gz = gzip(legacyPayload(3, 50, 1, 0));
        assertEquals(ErrorCode.SPZ_TRUNCATED, readBad(Arrays.copyOf(gz, gz.length - 12)).code());
    }

    @Test
    void read_gzipBomb_inflatesPastHeader() throws IOException {
        // The header promises 1 splat; the stream inflates to 10 MB.
        byte[] p = legacyPayload(3, 1, 0, 10 << 20);
        MalformedInputException e = readBad(gzip(p));
        assertEquals(ErrorCode.SPZ_TRAILING_DATA, e.code());
    }

    /** 4M splats (80 MB) promised, 88 MB of zeros inflated: refused by the trailer before anything is inflated. */
    @Test
    void read_largeGzipBomb_refusedBeforeInflating() throws IOException {
        byte[] head = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(SpzReader.MAGIC).putInt(3)
                .putInt(4 << 20).put((byte) 0).put((byte) 12).put((byte) 0).put((byte) 0).array();
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos, 1 << 16)) {
            byte[] zeros = new byte[1 << 20];
            gz.write(head, 0, 16);
            for (int i = 0; i < 88; i++) {
                gz.write(zeros);
            }
        }
        byte[] bomb = bos.toByteArray();
        MalformedInputException e = readBad(bomb);
        assertEquals(ErrorCode.SPZ_TRAILING_DATA, e.code());
        assertEquals("byte " + (bomb.length - 4), e.where(), e.getMessage()); // at the trailer: nothing inflated
    }

    @Test
    void read_gzipShorterThanHeader_truncated() throws IOException {
        byte[] p = legacyPayload(3, 10, 0, 0);
        assertEquals(ErrorCode.SPZ_TRUNCATED, readBad(gzip(Arrays.copyOf(p, p.length - 5))).code());
    }

    @Test
    void read_bytesAfterGzip_trailing() throws IOException {
        byte[] gz = gzip(legacyPayload(3, 2, 0, 0));
        assertEquals(ErrorCode.SPZ_TRAILING_DATA, readBad(Arrays.copyOf(gz, gz.length + 3)).code());
    }

    @Test
    void read_rawCountPastEnd_truncated() throws IOException {
        byte[] p = legacyPayload(2, 3, 0, 0);
        ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 1000);
        assertEquals(ErrorCode.SPZ_TRUNCATED, readBad(p).code());
    }

    @Test
    void read_v4AbsurdCount_limit() throws IOException {
        byte[] v4 = validV4(2, 0);
        ByteBuffer.wrap(v4).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 2_000_000_000);
        assertEquals(ErrorCode.LIMIT_EXCEEDED, readBad(v4).code());
    }

    @Test
    void read_v4CountDisagreesWithToc_badHeader() throws IOException {
        byte[] v4 = validV4(20, 0);
        ByteBuffer.wrap(v4).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 21);
        assertEquals(ErrorCode.SPZ_BAD_HEADER, readBad(v4).code());
    }

    @Test
    void read_v4Truncated() throws IOException {
        byte[] v4 = validV4(200, 1);
        assertEquals(ErrorCode.SPZ_TRUNCATED, readBad(Arrays.copyOf(v4, v4.length - 7)).code());
        assertEquals(ErrorCode.SPZ_TRUNCATED, readBad(Arrays.copyOf(v4, 20)).code());
    }

    @Test
    void read_v4TrailingBytes() throws IOException {
        byte[] v4 = validV4(20, 0);
        assertEquals(ErrorCode.SPZ_TRAILING_DATA, readBad(Arrays.copyOf(v4, v4.length + 1)).code());
    }

    @Test
    void read_v4CorruptZstd_badCompression() throws IOException {
        byte[] v4 = validV4(200, 0);
        int first = 32 + SpzWriter.FRAME_EXTENSION + 16 * 5;
        for (int i = first + 4; i < first + 30; i++) {
            v4[i] = (byte) 0xA5;
        }
        ErrorCode code = readBad(v4).code();
        assertTrue(code == ErrorCode.SPZ_BAD_COMPRESSION || code == ErrorCode.SPZ_TRUNCATED, code.toString());
    }

    @Test
    void read_v4StreamCountWrong_badHeader() throws IOException {
        byte[] v4 = validV4(20, 0);
        v4[15] = 6;
        assertEquals(ErrorCode.SPZ_BAD_HEADER, readBad(v4).code());
    }

    @Test
    void write_v4_declaresRdf_v3_declaresNothing() throws IOException {
        SplatBatch rows = SyntheticSplats.generate(SplatLayout.of(1), 10, 9);
        ByteBuffer v4 = ByteBuffer.wrap(Files.readAllBytes(write("a.spz", rows, 4))).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(SpzReader.FLAG_EXTENSIONS, v4.get(14));
        assertEquals(32 + 12, v4.getInt(16));
        assertEquals(SpzReader.EXT_COORDINATE_SYSTEM, v4.getInt(32));
        assertEquals(4, v4.getInt(36));
        assertEquals(SpzReader.RDF, v4.getInt(40));
        try (SplatReader r = Splats.open(dir.resolve("a.spz"))) {
            assertEquals("zstd, frame RDF", r.info().variant());
        }
        write("b.spz", rows, 3);
        try (SplatReader r = Splats.open(dir.resolve("b.spz"))) {
            assertEquals("gzip", r.info().variant());
        }
        // Declared RDF and undeclared (v3) hold the same, unconverted values.
        assertArrayEquals(Fixtures.readAll(dir.resolve("a.spz")).array(), Fixtures.readAll(dir.resolve("b.spz")).array());
    }

    @ParameterizedTest
    @CsvSource({"0,1,1,1", "6,1,1,1", "4,1,-1,-1", "1,-1,1,-1", "8,1,-1,1"})
    void read_v4CoordinateSystemExtension_convertsToRdf(int frame, float sx, float sy, float sz) throws IOException {
        // vsa's v4 declares RDF; the same bytes declared in another frame are converted to RDF on read.
        SplatBatch rows = SyntheticSplats.generate(SplatLayout.of(3), 10, 9);
        byte[] v4 = Files.readAllBytes(write("plain.spz", rows, 4));
        ByteBuffer.wrap(v4).order(ByteOrder.LITTLE_ENDIAN).putInt(40, frame);
        Path declared = dir.resolve("declared.spz");
        Files.write(declared, v4);
        SplatBatch expected = Fixtures.readAll(dir.resolve("plain.spz"));
        AxisFlips.apply(expected.array(), expected.stride(), expected.size(), expected.layout(), sx, sy, sz);
        assertArrayEquals(expected.array(), Fixtures.readAll(declared).array());
    }

    /**
     * The rotated frames (9-16: y on F/B, z on U/D) are converted to RDF on read: a splat stored at (1, 2, 3) in
     * frame N sits, in RDF, where the letters of N say (e.g. RFU: x right, y forward, z up -> (1, -3, 2)); its
     * covariance and SH are those of Transform.Frame(N, RDF), checked in TransformsTest.
     */
    @ParameterizedTest
    @CsvSource({"9,LFD", "10,RFD", "11,LFU", "12,RFU", "13,LBD", "14,RBD", "15,LBU", "16,RBU"})
    void read_v4RotatedFrame_convertsToRdf(int value, String name) throws IOException {
        SplatBatch rows = SyntheticSplats.generate(SplatLayout.of(2), 10, 9);
        rows.set(0, 0, 1);
        rows.set(0, 1, 2);
        rows.set(0, 2, 3);
        byte[] v4 = Files.readAllBytes(write("plain.spz", rows, 4));
        ByteBuffer.wrap(v4).order(ByteOrder.LITTLE_ENDIAN).putInt(40, value);
        Path declared = dir.resolve("declared.spz");
        Files.write(declared, v4);
        SplatBatch got = Fixtures.readAll(declared);
        float[] rdf = new float[3];
        for (int k = 0; k < 3; k++) {
            char c = name.charAt(k);
            float v = k + 1;
            switch (c) {
                case 'R' -> rdf[0] = v;
                case 'L' -> rdf[0] = -v;
                case 'D' -> rdf[1] = v;
                case 'U' -> rdf[1] = -v;
                case 'F' -> rdf[2] = v;
                default -> rdf[2] = -v;
            }
        }
        for (int k = 0; k < 3; k++) {
            assertEquals(rdf[k], got.get(0, k), 1e-3, name + " axis " + k);
        }
        try (SplatReader r = Splats.open(declared)) {
            assertTrue(r.info().variant().contains("frame " + name), r.info().variant());
        }
        SplatBatch plain = Fixtures.readAll(dir.resolve("plain.spz"));
        SplatBatch expected;
        try (SplatReader r = dev.vsa.core.transform.Transforms.apply(Splats.open(dir.resolve("plain.spz")),
                List.of(new dev.vsa.core.transform.Transform.Frame(name, "RDF")), dir)) {
            expected = new SplatBatch(r.info().layout(), plain.size());
            r.read(expected);
        }
        assertArrayEquals(Arrays.copyOf(expected.array(), 10 * expected.stride()), Arrays.copyOf(got.array(), 10 * got.stride()));
    }

    @Test
    void detect_byContent() throws IOException {
        for (String f : new String[] {"minimal-v2.spz", "minimal-v3.spz", "minimal-v4.spz", "minimal-raw.spz"}) {
            Path copy = dir.resolve(f + ".bin");
            Files.copy(Fixtures.splat(f), copy);
            assertEquals(SplatFormat.SPZ, Splats.detect(copy), f);
        }
    }

    /**
     * After --from-frame RDF --to-frame RUB the rows are in RUB: a v4 file records RUB (it recorded RDF, so vsa and
     * any reader honouring the record turned the scene upside down again), and vsa reads it back as the source.
     */
    @Test
    void write_afterFrameStep_recordsThatFrame() throws Exception {
        Path src = SyntheticSplats.write(dir.resolve("src.ply"), SplatFormat.PLY, SyntheticSplats.layout(1), 200, 12);
        Path out = dir.resolve("rub.spz");
        Splats.convert(src, out, dev.vsa.core.splat.ConvertOptions.DEFAULTS.withTransforms(
                List.of(new dev.vsa.core.transform.Transform.Frame("RDF", "RUB"))), null);
        ByteBuffer head = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(4, head.getInt(SpzReader.NGSP_HEADER + 8), "frame record");
        try (SplatReader r = Splats.open(out)) {
            assertTrue(r.info().variant().contains("frame RUB"), r.info().variant());
        }
        SplatBatch a = Fixtures.readAll(src);
        SplatBatch b = Fixtures.readAll(out);
        for (int i = 0; i < a.size(); i++) {
            for (int c = SplatLayout.X; c <= SplatLayout.Z; c++) {
                assertEquals(a.get(i, c), b.get(i, c), 1e-2, "splat " + i + " column " + c);
            }
        }
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> Splats.convert(src,
                dir.resolve("flu.spz"), dev.vsa.core.splat.ConvertOptions.DEFAULTS.withTransforms(
                        List.of(new dev.vsa.core.transform.Transform.Frame("RDF", "FLU"))), null));
        assertTrue(e.getMessage().contains("16 frames"), e::getMessage);
    }
}
