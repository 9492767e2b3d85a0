package dev.vsa.core.format.khr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.Fixtures;
import dev.vsa.core.format.util.AxisFlips;
import dev.vsa.core.gltf.resource.Glb;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;
import dev.vsa.core.testing.SyntheticSplats;
import dev.vsa.core.validate.Validator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KhrCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** vsa -> glTF -> vsa: positions, rotations, SH exact; scale and opacity to float rounding of exp/log. */
    static void assertRoundTrip(SplatBatch expected, SplatBatch actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            for (int c = 0; c < expected.layout().extrasOffset(); c++) {
                float e = expected.get(i, c), a = actual.get(i, c);
                String at = "splat " + i + " " + expected.layout().columnName(c);
                if (c >= SplatLayout.SCALE_0 && c <= SplatLayout.SCALE_2) {
                    assertEquals(e, a, 1e-5, at);
                } else if (c == SplatLayout.OPACITY) {
                    assertEquals(sigmoid(e), sigmoid(a), 1e-6, at);
                } else {
                    assertEquals(e, a, at);
                }
            }
        }
    }

    private Path write(String name, SplatBatch rows, SplatFormat format) throws IOException {
        Path file = dir.resolve(name);
        try (SplatWriter w = Splats.create(file, format, rows.layout(), WriteOptions.DEFAULTS)) {
            w.write(rows);
            w.finish();
        }
        return file;
    }

    @ParameterizedTest
    @CsvSource({"glb,0", "glb,1", "glb,2", "glb,3", "gltf,0", "gltf,3"})
    void write_thenRead_roundTrips(String ext, int degree) throws IOException {
        SplatFormat format = SplatFormat.byId(ext).orElseThrow();
        SplatBatch rows = SyntheticSplats.generate(SyntheticSplats.layout(degree), 500, 7 + degree);
        Path file = write("a." + ext, rows, format);
        assertEquals(format, Splats.detect(file));
        try (SplatReader r = Splats.open(file)) {
            assertEquals(500, r.info().count());
            assertEquals(SplatLayout.of(degree), r.info().layout());
        }
        assertRoundTrip(rows, Fixtures.readAll(file));
    }

    /** Known count ahead: accessors go straight to their places; fewer splats than expected still read back. */
    @ParameterizedTest
    @CsvSource({"0,500,500", "3,500,500", "3,500,700", "1,0,10", "0,1,1"})
    void write_expectedCount_roundTrips(int degree, int rowsWritten, long expected) throws IOException {
        SplatBatch rows = SyntheticSplats.generate(SyntheticSplats.layout(degree), Math.max(1, rowsWritten), 11 + degree);
        Path file = dir.resolve("e.glb");
        try (SplatWriter w = Splats.create(file, SplatFormat.GLB, rows.layout(), WriteOptions.DEFAULTS.withExpectedCount(expected))) {
            // In slices, so each accessor is written at several offsets.
            int step = 128;
            for (int from = 0; from < rowsWritten; from += step) {
                int n = Math.min(step, rowsWritten - from);
                SplatBatch part = new SplatBatch(rows.layout(), n);
                System.arraycopy(rows.array(), from * rows.stride(), part.array(), 0, n * rows.stride());
                part.setSize(n);
                w.write(part);
            }
            w.finish();
        }
        byte[] b = Files.readAllBytes(file);
        assertEquals(b.length, ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(8));
        if (rowsWritten > 0) { // an empty GLB's "nodes": [] is reported as EMPTY_ENTITY, with or without a count
            var report = Validator.validate(file);
            assertTrue(report.isValid(), report::toString);
            assertRoundTrip(rows, Fixtures.readAll(file));
        } else {
            try (SplatReader r = Splats.open(file)) {
                assertEquals(0, r.info().count());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE,
            Float.MIN_VALUE, -0f, 1e30f})
    void finiteBits_matchesIsFinite(float v) {
        assertEquals(Float.isFinite(v), KhrWriter.finiteBits(v) >= 0, "value " + v);
        assertTrue((KhrWriter.finiteBits(0.5f) | KhrWriter.finiteBits(v)) >= 0 == Float.isFinite(v), "OR-ed, " + v);
    }

    /**
     * A non-finite value in any checked column (fixed or SH; the base and SH accessors are encoded on two threads)
     * is reported for the first such splat and column, with a known count (accessors in place) or not (spilled);
     * extras are not stored, so not checked.
     */
    @ParameterizedTest
    @CsvSource({"0,-1", "2,-1", "5,-1", "10,-1", "13,-1", "14,-1", "30,-1", "58,-1", "59,-1", "0,40", "58,40"})
    void write_nonFinite_firstReported(int column, long expected) throws IOException {
        SplatLayout layout = new SplatLayout(3, java.util.List.of("extra"));
        SplatBatch rows = SyntheticSplats.generate(layout, 40, 3);
        rows.set(37, column, Float.POSITIVE_INFINITY);
        rows.set(38, 0, Float.NaN);
        rows.set(20, 59, Float.NaN); // the extra: ignored
        Path file = dir.resolve("inf.glb");
        try (SplatWriter w = Splats.create(file, SplatFormat.GLB, layout, WriteOptions.DEFAULTS.withExpectedCount(expected))) {
            if (column == layout.extrasOffset()) {
                rows.set(38, 0, 1f);
                w.write(rows);
                w.finish();
                assertRoundTrip(rows, Fixtures.readAll(file));
                return;
            }
            MalformedInputException e = assertThrows(MalformedInputException.class, () -> w.write(rows));
            assertEquals(ErrorCode.NON_FINITE_VALUES, e.code());
            assertEquals("splat 37", e.where());
            assertTrue(e.getMessage().contains(layout.columnName(column) + " is Infinity"), e.getMessage());
        }
        assertTrue(Files.notExists(file));
    }

    @Test
    void write_zeroRotation_isRejected() throws IOException {
        SplatBatch rows = SyntheticSplats.generate(SplatLayout.of(3), 10, 5);
        for (int c = SplatLayout.ROT_W; c <= SplatLayout.ROT_Z; c++) {
            rows.set(6, c, 0f);
            rows.set(8, c, 0f);
        }
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> write("zero.glb", rows, SplatFormat.GLB));
        assertEquals(ErrorCode.NON_FINITE_VALUES, e.code());
        assertEquals("splat 6", e.where());
    }

    /** The first bad row is reported, whether its fault is a zero-length rotation or a value that is not finite. */
    @Test
    void write_zeroRotationBeforeNonFinite_firstRowReported() throws IOException {
        SplatBatch rows = SyntheticSplats.generate(SplatLayout.of(1), 10, 5);
        for (int c = SplatLayout.ROT_W; c <= SplatLayout.ROT_Z; c++) {
            rows.set(3, c, 0f);
        }
        rows.set(7, SplatLayout.SCALE_1, Float.POSITIVE_INFINITY);
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> write("zero.glb", rows, SplatFormat.GLB));
        assertEquals(ErrorCode.NON_FINITE_VALUES, e.code());
        assertEquals("splat 3", e.where());
        assertTrue(e.getMessage().contains("zero-length rotation"), e.getMessage());
    }

    /**
     * Rotations are stored unit length whatever their length as floats: squared in float, (1e20, 0, 0, 1e20)
     * overflowed to a zero rotation in the file and (1e-25, 0, 0, 0) underflowed and was refused as zero-length.
     */
    @Test
    void write_rotationsOfExtremeLength_storedUnit() throws IOException {
        SplatBatch rows = SyntheticSplats.generate(SplatLayout.of(0), 6, 5);
        float[][] q = {{1e20f, 0, 0, 1e20f}, {1e-25f, 0, 0, 0}, {0, -3e-30f, 4e-30f, 0}};
        float[][] unit = {{(float) Math.sqrt(0.5), 0, 0, (float) Math.sqrt(0.5)}, {1, 0, 0, 0}, {0, -0.6f, 0.8f, 0}};
        for (int i = 0; i < q.length; i++) {
            for (int c = 0; c < 4; c++) {
                rows.set(2 * i, SplatLayout.ROT_W + c, q[i][c]);
            }
        }
        SplatBatch back = Fixtures.readAll(write("extreme.glb", rows, SplatFormat.GLB));
        for (int i = 0; i < q.length; i++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(unit[i][c], back.get(2 * i, SplatLayout.ROT_W + c), 1e-6, "splat " + 2 * i + " component " + c);
            }
        }
    }

    /**
     * Both GLB writers refuse more than 4 GiB with one code (the SPZ-compressed one threw IllegalArgumentException,
     * which callers report as a bug, not as a limit).
     */
    /** The bounds' min and max are Math.min and Math.max, bit for bit, on any pair of numbers (-0 and 0 included). */
    @Test
    void lowerHigher_sameBitsAsMathMinMax() {
        float[] v = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 3.5f,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (float a : v) {
            for (float b : v) {
                assertEquals(Float.floatToRawIntBits(Math.min(a, b)), Float.floatToRawIntBits(KhrWriter.lower(a, b)),
                        a + " " + b);
                assertEquals(Float.floatToRawIntBits(Math.max(a, b)), Float.floatToRawIntBits(KhrWriter.higher(a, b)),
                        a + " " + b);
            }
        }
    }

    @Test
    void checkGlbSize_over4GiB_limitExceeded() {
        KhrWriter.checkGlbSize(0xFFFF_FFFFL, "");
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> KhrWriter.checkGlbSize(1L << 32, ""));
        assertEquals(ErrorCode.LIMIT_EXCEEDED, e.code());
        assertTrue(e.getMessage().contains("4 GiB") && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void write_moreThanExpected_isRejected() throws IOException {
        SplatBatch rows = SyntheticSplats.generate(SplatLayout.of(0), 5, 3);
        Path file = dir.resolve("m.glb");
        try (SplatWriter w = Splats.create(file, SplatFormat.GLB, rows.layout(), WriteOptions.DEFAULTS.withExpectedCount(4))) {
            assertThrows(IllegalArgumentException.class, () -> w.write(rows));
        }
        assertTrue(Files.notExists(file));
    }

    @Test
    void write_glb_hasSpecShape() throws IOException {
        SplatBatch rows = SyntheticSplats.generate(SyntheticSplats.layout(1), 3, 1);
        rows.set(0, SplatLayout.X, 1f);
        rows.set(0, SplatLayout.Y, 2f);
        rows.set(0, SplatLayout.Z, 3f);
        Path file = write("s.glb", rows, SplatFormat.GLB);
        byte[] b = Files.readAllBytes(file);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(b.length, bb.getInt(8));
        int jsonLen = bb.getInt(12);
        assertEquals(0, jsonLen % 4);
        ObjectNode root = (ObjectNode) JSON.readTree(new String(b, 20, jsonLen, StandardCharsets.UTF_8));
        ObjectNode prim = (ObjectNode) root.at("/meshes/0/primitives/0");
        assertEquals(0, prim.get("mode").asInt());
        assertEquals("ellipse", prim.at("/extensions/KHR_gaussian_splatting/kernel").asText());
        assertEquals("srgb_rec709_display", prim.at("/extensions/KHR_gaussian_splatting/colorSpace").asText());
        assertTrue(prim.at("/attributes").has("KHR_gaussian_splatting:SH_DEGREE_1_COEF_2"));
        // Half turn about z: glTF x = -PLY x, y = -PLY y.
        int pos = prim.at("/attributes/POSITION").asInt();
        int binStart = 20 + jsonLen + 8;
        long off = root.at("/bufferViews/" + root.at("/accessors/" + pos + "/bufferView").asInt() + "/byteOffset").asLong();
        assertEquals(-1f, bb.getFloat(binStart + (int) off));
        assertEquals(-2f, bb.getFloat(binStart + (int) off + 4));
        assertEquals(3f, bb.getFloat(binStart + (int) off + 8));
        // Scale is linear.
        int sc = prim.at("/attributes/KHR_gaussian_splatting:SCALE").asInt();
        long soff = root.at("/bufferViews/" + root.at("/accessors/" + sc + "/bufferView").asInt() + "/byteOffset").asLong();
        assertEquals(Math.exp(rows.get(0, SplatLayout.SCALE_0)), bb.getFloat(binStart + (int) soff), 1e-6);
    }

    @Test
    void read_conformanceMatrix_allEncodings() throws IOException {
        Path file = Fixtures.splat("khr_conformance_matrix.glb");
        try (SplatReader r = Splats.open(file)) {
            assertEquals(SplatFormat.GLB, r.info().format());
            assertEquals(15, r.info().count());
            assertEquals(SplatLayout.of(3), r.info().layout());
        }
        SplatBatch b = Fixtures.readAll(file);
        float[] shSigns = AxisFlips.shSigns(-1, -1, 1);
        for (int i = 0; i < 15; i++) {
            assertEquals(-1f, b.get(i, SplatLayout.X));
            assertEquals(-2f, b.get(i, SplatLayout.Y));
            assertEquals(3f, b.get(i, SplatLayout.Z));
            assertEquals(0.1f, b.get(i, SplatLayout.DC_0));
            assertEquals(0.3f, b.get(i, SplatLayout.DC_2));
            // glTF (x y z w) = (1 0 0 0) -> PLY (w x y z) = (0, 0, -1, 0)
            assertEquals(-1f, b.get(i, SplatLayout.ROT_Y), 1e-6, "rotation of splat " + i);
            assertEquals(0f, b.get(i, SplatLayout.ROT_W), 1e-6);
        }
        double[] opacities = {0.25, 0.75, 64 / 255.0, 16384 / 65535.0};
        for (int i = 0; i < 4; i++) {
            assertEquals(opacities[i], sigmoid(b.get(i == 0 ? 0 : 7 + i, SplatLayout.OPACITY)), 1e-6);
        }
        float[][] scales = {{0.2f, 0.1f, 0.7f}, {1, 2, 3}, {1, 0, 1}, {2, 3, 4}, {1, 0, 1}};
        for (int m = 0; m < 5; m++) {
            for (int c = 0; c < 3; c++) {
                double expected = Math.log(Math.max(scales[m][c], 1e-30));
                assertEquals(expected, b.get(3 + m, SplatLayout.SCALE_0 + c), 1e-5, "scale of mesh " + (3 + m));
            }
        }
        for (int k = 0; k < 15; k++) {
            assertEquals(shSigns[k] * (k + 1.1f), b.get(14, SplatLayout.REST + k), 1e-6);
            assertEquals(shSigns[k] * (k + 1.3f), b.get(14, SplatLayout.REST + 30 + k), 1e-5);
            assertEquals(0f, b.get(11, SplatLayout.REST + k));
        }
        assertEquals(shSigns[2] * 3.2f, b.get(12, SplatLayout.REST + 15 + 2), 1e-6);
        assertEquals(0f, b.get(12, SplatLayout.REST + 3));
    }

    @Test
    void read_gltfWithDataUri() throws IOException {
        SplatBatch rows = SyntheticSplats.generate(SyntheticSplats.layout(2), 40, 3);
        Path gltf = write("d.gltf", rows, SplatFormat.GLTF);
        Path bin = dir.resolve("d.bin");
        ObjectNode root = (ObjectNode) JSON.readTree(gltf.toFile());
        ((ObjectNode) root.at("/buffers/0")).put("uri", "data:application/octet-stream;base64,"
                + Base64.getEncoder().encodeToString(Files.readAllBytes(bin)));
        Files.delete(bin);
        Path embedded = dir.resolve("embedded.gltf");
        JSON.writeValue(embedded.toFile(), root);
        assertEquals(SplatFormat.GLTF, Splats.detect(embedded));
        assertRoundTrip(rows, Fixtures.readAll(embedded));
    }

    /** Colour of one channel's SH (degrees 1..3, 3DGS basis) in direction d. */
    private static double shColour(SplatBatch b, int row, int channel, double[] d) {
        int per = b.layout().restPerChannel();
        double s = 0;
        int k = 0;
        for (int l = 1; l <= b.layout().shDegree(); l++) {
            double[] y = Similarity.basis(l, d[0], d[1], d[2]);
            for (double v : y) {
                s += v * b.get(row, SplatLayout.REST + channel * per + k++);
            }
        }
        return s;
    }

    @Test
    void read_nodeTransform_isBaked() throws IOException {
        SplatBatch rows = SyntheticSplats.generate(SyntheticSplats.layout(3), 20, 5);
        Path plain = write("p.glb", rows, SplatFormat.GLB);
        // Same data under a node: rotate 90 degrees about glTF's y, scale 2, translate (1, 2, 3).
        byte[] b = Files.readAllBytes(plain);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int jsonLen = bb.getInt(12);
        ObjectNode root = (ObjectNode) JSON.readTree(new String(b, 20, jsonLen, StandardCharsets.UTF_8));
        double h = Math.sqrt(0.5);
        ObjectNode node = (ObjectNode) root.at("/nodes/0");
        node.putArray("rotation").add(0).add(h).add(0).add(h);
        node.putArray("scale").add(2).add(2).add(2);
        node.putArray("translation").add(1).add(2).add(3);
        Path moved = glb(root, Arrays.copyOfRange(b, 20 + jsonLen + 8, b.length), "m.glb");
        SplatBatch a = Fixtures.readAll(plain);
        SplatBatch t = Fixtures.readAll(moved);
        // glTF: p -> 2 R p + t with R: (x, y, z) -> (z, y, -x). In the PLY frame (x, y negated) R becomes
        // (x, y, z) -> (-z, y, x) and t becomes (-1, -2, 3).
        for (int i = 0; i < 20; i++) {
            float x = a.get(i, 0), y = a.get(i, 1), z = a.get(i, 2);
            assertEquals(-2 * z - 1, t.get(i, 0), 1e-4);
            assertEquals(2 * y - 2, t.get(i, 1), 1e-4);
            assertEquals(2 * x + 3, t.get(i, 2), 1e-4);
            assertEquals(a.get(i, SplatLayout.SCALE_1) + Math.log(2), t.get(i, SplatLayout.SCALE_1), 1e-5);
            double[] d = {0.36, -0.48, 0.8};
            double[] rd = {-d[2], d[1], d[0]};
            for (int ch = 0; ch < 3; ch++) {
                assertEquals(shColour(a, i, ch, d), shColour(t, i, ch, rd), 1e-4, "SH colour, splat " + i);
            }
        }
    }

    @Test
    void srgbToLinearU8_matchesFormula() {
        for (int i = -100; i <= 1100; i++) {
            float c = i / 1000f;
            double lin = KhrWriter.srgbToLinear(Math.min(1, Math.max(0, c)));
            assertEquals(Math.round(lin * 255), KhrWriter.srgbToLinearU8(c), 1, "c = " + c);
        }
    }

    /** The bisected table equals the direct fill, entry by entry. */
    @Test
    void srgbTable_equalsDirectFill() {
        for (int k = 0; k <= 65535; k++) {
            assertEquals(KhrWriter.linearByte(k), KhrWriter.srgbToLinearU8(k / 65535f), "k = " + k);
        }
    }

    // ---- hand-written bad files ----

    private Path glb(ObjectNode root, byte[] bin, String name) throws IOException {
        byte[] json = JSON.writeValueAsBytes(root);
        int jl = (json.length + 3) & ~3;
        int bl = (bin.length + 3) & ~3;
        ByteBuffer out = ByteBuffer.allocate(12 + 8 + jl + 8 + bl).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(Glb.MAGIC).putInt(2).putInt(out.capacity()).putInt(jl).putInt(Glb.CHUNK_JSON).put(json);
        while (out.position() < 20 + jl) {
            out.put((byte) ' ');
        }
        out.putInt(bl).putInt(Glb.CHUNK_BIN).put(bin);
        Path file = dir.resolve(name);
        Files.write(file, out.array());
        return file;
    }

    /** A one-splat degree-0 GLB's JSON and BIN, to break. */
    private ObjectNode[] validJson(byte[][] binOut) throws IOException {
        Path file = write("v.glb", SyntheticSplats.generate(SplatLayout.of(0), 1, 2), SplatFormat.GLB);
        byte[] b = Files.readAllBytes(file);
        int jsonLen = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        binOut[0] = Arrays.copyOfRange(b, 20 + jsonLen + 8, b.length);
        return new ObjectNode[] {(ObjectNode) JSON.readTree(new String(b, 20, jsonLen, StandardCharsets.UTF_8))};
    }

    private static MalformedInputException readBad(Path file) {
        return assertThrows(MalformedInputException.class, () -> Fixtures.readAll(file));
    }

    @Test
    void read_badChunkLength() throws IOException {
        byte[] b = Files.readAllBytes(write("v.glb", SyntheticSplats.generate(SplatLayout.of(0), 2, 2), SplatFormat.GLB));
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(12, b.length);
        Path f = dir.resolve("chunk.glb");
        Files.write(f, b);
        MalformedInputException e = readBad(f);
        assertEquals(ErrorCode.TRUNCATED, e.code()); // as inspect says (was GLB_BAD_HEADER here only)
        assertEquals("byte 12", e.where());
    }

    @Test
    void read_glbLengthMismatch() throws IOException {
        byte[] b = Files.readAllBytes(write("v.glb", SyntheticSplats.generate(SplatLayout.of(0), 2, 2), SplatFormat.GLB));
        Path f = dir.resolve("len.glb");
        Files.write(f, Arrays.copyOf(b, b.length - 4));
        MalformedInputException e = readBad(f);
        assertEquals(ErrorCode.TRUNCATED, e.code()); // as inspect says (was GLB_BAD_HEADER here only)
        assertEquals("byte 8", e.where());
    }

    /**
     * The splat reader and glTF inspection read the GLB container through one reader: a damaged container gets the
     * same answer from both (they differed on each of these but {@code unknownChunk} before gltf.resource.Glb), and
     * what the Khronos reader reads past (bytes after the declared length, a second BIN chunk) stays readable.
     */
    @ParameterizedTest
    @CsvSource({
            "trailingBytes, ",
            "unknownChunk, ",
            "secondBin, ",
            "cutShort, TRUNCATED",
            "jsonPastEnd, TRUNCATED",
            "binPastEnd, TRUNCATED",
            "cutChunkHeader, GLB_BAD_HEADER",
    })
    void read_damagedGlb_sameAnswerAsInspect(String damage, ErrorCode expected) throws IOException {
        byte[] b = Files.readAllBytes(write("v.glb", SyntheticSplats.generate(SplatLayout.of(0), 2, 2), SplatFormat.GLB));
        int jsonLen = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        ByteBuffer d = switch (damage) {
            case "trailingBytes" -> ByteBuffer.allocate(b.length + 4).put(b);
            case "cutShort" -> ByteBuffer.allocate(b.length - 4).put(b, 0, b.length - 4);
            case "jsonPastEnd" -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(12, b.length);
            case "binPastEnd" -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(20 + jsonLen, 1 << 30);
            case "unknownChunk", "secondBin", "cutChunkHeader" -> {
                ByteBuffer out = ByteBuffer.allocate(b.length + (damage.equals("cutChunkHeader") ? 4 : 12))
                        .order(ByteOrder.LITTLE_ENDIAN).put(b);
                out.putInt(4);
                if (!damage.equals("cutChunkHeader")) {
                    out.putInt(damage.equals("secondBin") ? Glb.CHUNK_BIN : 0x5A5A5A5A).putInt(0);
                }
                yield out.putInt(8, out.capacity());
            }
            default -> throw new IllegalArgumentException(damage);
        };
        Path f = Files.write(dir.resolve(damage + ".glb"), d.array());
        MalformedInputException inspect = failure(() -> dev.vsa.core.gltf.GltfInspector.inspect(f));
        MalformedInputException read = failure(() -> Fixtures.readAll(f));
        if (expected == null) {
            assertEquals(null, inspect, "inspect");
            assertEquals(null, read, "read");
            return;
        }
        assertTrue(inspect != null && read != null, "both refuse: inspect " + inspect + ", read " + read);
        assertEquals(expected, inspect.code());
        assertEquals(inspect.code() + " " + inspect.where(), read.code() + " " + read.where());
    }

    private interface Action {
        void run() throws IOException;
    }

    private static MalformedInputException failure(Action a) throws IOException {
        try {
            a.run();
            return null;
        } catch (MalformedInputException e) {
            return e;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/accessors/0/count", "/accessors/0/byteOffset", "/bufferViews/0/byteLength"})
    void read_accessorPastBuffer(String pointer) throws IOException {
        byte[][] bin = new byte[1][];
        ObjectNode root = validJson(bin)[0];
        String parent = pointer.substring(0, pointer.lastIndexOf('/'));
        String field = pointer.substring(pointer.lastIndexOf('/') + 1);
        ((ObjectNode) root.at(parent)).put(field, 100_000);
        assertEquals(ErrorCode.GLTF_BAD_REFERENCE, readBad(glb(root, bin[0], "past.glb")).code());
    }

    /**
     * Offsets and lengths near 2^63 are refused like any other range past the data (the sums in the range checks
     * wrapped negative and let them through: the reader then read outside the buffer view, or at a negative file
     * position); inspect's Blob.slice already compared by subtraction.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/accessors/0/byteOffset", "/bufferViews/0/byteLength"})
    void read_rangeNear2pow63_badReference(String pointer) throws IOException {
        byte[][] bin = new byte[1][];
        ObjectNode root = validJson(bin)[0];
        String parent = pointer.substring(0, pointer.lastIndexOf('/'));
        String field = pointer.substring(pointer.lastIndexOf('/') + 1);
        if (parent.startsWith("/bufferViews")) {
            ((ObjectNode) root.at(parent)).put("byteOffset", 4); // a sum that wraps
        }
        ((ObjectNode) root.at(parent)).put(field, Long.MAX_VALUE - 2);
        assertEquals(ErrorCode.GLTF_BAD_REFERENCE, readBad(glb(root, bin[0], "wrap.glb")).code());
    }

    /**
     * Integers are read as inspect reads them (gltf.resource.Json): an index past int range is not truncated to a
     * valid one (2^32 + i used to read accessor i), and a number written as a string is not parsed (the validator
     * calls both TYPE_MISMATCH or out of range).
     */
    @Test
    void read_indexPastIntRange_badReference() throws IOException {
        byte[][] bin = new byte[1][];
        ObjectNode root = validJson(bin)[0];
        ObjectNode attrs = (ObjectNode) root.at("/meshes/0/primitives/0/attributes");
        attrs.put("POSITION", (1L << 32) + attrs.get("POSITION").asLong());
        assertEquals(ErrorCode.GLTF_BAD_REFERENCE, readBad(glb(root, bin[0], "wide.glb")).code());
    }

    @Test
    void read_countAsString_badAttribute() throws IOException {
        byte[][] bin = new byte[1][];
        ObjectNode root = validJson(bin)[0];
        ObjectNode accessor = (ObjectNode) root.at("/accessors/0");
        accessor.put("count", accessor.get("count").asText());
        assertEquals(ErrorCode.GLTF_BAD_SPLAT_ATTRIBUTE, readBad(glb(root, bin[0], "text.glb")).code());
    }

    @Test
    void read_countsDiffer() throws IOException {
        byte[][] bin = new byte[1][];
        ObjectNode root = validJson(bin)[0];
        ((ObjectNode) root.at("/accessors/0")).put("count", 2);
        ((ObjectNode) root.at("/bufferViews/0")).put("byteLength", 24);
        ArrayNode views = (ArrayNode) root.get("bufferViews");
        for (int i = 1; i < views.size(); i++) {
            ((ObjectNode) views.get(i)).put("byteOffset", views.get(i).get("byteOffset").asLong() + 12);
        }
        byte[] bigger = new byte[bin[0].length + 12];
        System.arraycopy(bin[0], 0, bigger, 12, bin[0].length);
        ((ObjectNode) root.at("/buffers/0")).put("byteLength", bigger.length);
        assertEquals(ErrorCode.GLTF_BAD_SPLAT_ATTRIBUTE, readBad(glb(root, bigger, "counts.glb")).code());
    }

    @Test
    void read_missingAttribute() throws IOException {
        byte[][] bin = new byte[1][];
        ObjectNode root = validJson(bin)[0];
        ((ObjectNode) root.at("/meshes/0/primitives/0/attributes")).remove("KHR_gaussian_splatting:ROTATION");
        assertEquals(ErrorCode.GLTF_BAD_SPLAT_ATTRIBUTE, readBad(glb(root, bin[0], "missing.glb")).code());
    }

    @Test
    void read_partialShDegree() throws IOException {
        byte[][] bin = new byte[1][];
        ObjectNode root = validJson(bin)[0];
        ((ObjectNode) root.at("/meshes/0/primitives/0/attributes")).put("KHR_gaussian_splatting:SH_DEGREE_1_COEF_0", 0);
        assertEquals(ErrorCode.GLTF_BAD_SPLAT_ATTRIBUTE, readBad(glb(root, bin[0], "partial.glb")).code());
    }

    @Test
    void read_nanEverywhere() throws IOException {
        byte[][] bin = new byte[1][];
        ObjectNode root = validJson(bin)[0];
        ByteBuffer b = ByteBuffer.wrap(bin[0]).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= bin[0].length; i += 4) {
            b.putFloat(i, Float.NaN);
        }
        assertEquals(ErrorCode.NON_FINITE_VALUES, readBad(glb(root, bin[0], "nan.glb")).code());
    }

    @Test
    void read_noSplats() throws IOException {
        byte[][] bin = new byte[1][];
        ObjectNode root = validJson(bin)[0];
        ((ObjectNode) root.at("/meshes/0/primitives/0")).remove("extensions");
        root.remove("extensionsUsed");
        assertEquals(ErrorCode.GLTF_NO_SPLATS, readBad(glb(root, bin[0], "mesh.glb")).code());
    }

    @Test
    void read_uriOutsideDirectory() throws IOException {
        byte[][] bin = new byte[1][];
        ObjectNode root = validJson(bin)[0];
        ((ObjectNode) root.at("/buffers/0")).put("uri", "../secret.bin");
        Path f = dir.resolve("escape.gltf");
        JSON.writeValue(f.toFile(), root);
        assertEquals(ErrorCode.GLTF_URI_REJECTED, readBad(f).code());
    }

    /** Node i lists node i + 1 twice, 40 levels deep: 2^40 instances of the splat mesh, from a few hundred bytes. */
    @Test
    @Timeout(20) // a guard, not a measurement: expanding the graph first would run for ever or out of memory
    void read_exponentialInstancing_refusedBeforeExpanding() throws IOException {
        byte[][] bin = new byte[1][];
        ObjectNode root = validJson(bin)[0];
        ArrayNode nodes = root.putArray("nodes");
        for (int i = 0; i < 40; i++) {
            nodes.addObject().putArray("children").add(i + 1).add(i + 1);
        }
        nodes.addObject().put("mesh", 0);
        root.putArray("scenes").addObject().putArray("nodes").add(0);
        root.put("scene", 0);
        MalformedInputException e = readBad(glb(root, bin[0], "pow2.glb"));
        assertEquals(ErrorCode.LIMIT_EXCEEDED, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("vsa.gltf.max-instances"), e.getMessage());
    }

    /** 20,000 nodes sharing one splat mesh: a small file that would expand to 20,000 copies. */
    @Test
    void read_manyInstancesOfOneMesh_refused() throws IOException {
        byte[][] bin = new byte[1][];
        ObjectNode root = validJson(bin)[0];
        ArrayNode nodes = root.putArray("nodes");
        ArrayNode sceneNodes = root.putArray("scenes").addObject().putArray("nodes");
        for (int i = 0; i < 20_000; i++) {
            nodes.addObject().put("mesh", 0).putArray("translation").add(i).add(0).add(0);
            sceneNodes.add(i);
        }
        root.put("scene", 0);
        MalformedInputException e = readBad(glb(root, bin[0], "many.glb"));
        assertEquals(ErrorCode.LIMIT_EXCEEDED, e.code(), e.getMessage());
    }

    @Test
    void read_uriSymlinkOutOfDirectory() throws IOException {
        byte[][] bin = new byte[1][];
        ObjectNode root = validJson(bin)[0];
        Path secret = Files.write(dir.resolve("secret.bin"), bin[0]);
        Files.createDirectories(dir.resolve("asset"));
        Files.createSymbolicLink(dir.resolve("asset/link.bin"), secret);
        ((ObjectNode) root.at("/buffers/0")).put("uri", "link.bin");
        Path f = dir.resolve("asset/escape.gltf");
        JSON.writeValue(f.toFile(), root);
        assertEquals(ErrorCode.GLTF_URI_REJECTED, readBad(f).code());
    }

    @Test
    void read_badJson() throws IOException {
        Path f = dir.resolve("bad.gltf");
        Files.writeString(f, "{\"asset\": {\"version\": \"2.0\"}, \"extensionsUsed\": [\"KHR_gaussian_splatting\"");
        assertEquals(ErrorCode.GLTF_BAD_JSON, readBad(f).code());
    }

    @Test
    void write_nan_isRejected() throws IOException {
        SplatBatch rows = SyntheticSplats.generate(SplatLayout.of(0), 3, 5);
        rows.set(1, SplatLayout.X, Float.NaN);
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> write("nan.glb", rows, SplatFormat.GLB));
        assertEquals(ErrorCode.NON_FINITE_VALUES, e.code());
        assertTrue(Files.notExists(dir.resolve("nan.glb")));
    }
}
