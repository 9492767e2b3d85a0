package dev.vsa.core.validate.splat;

import dev.vsa.core.testing.TestFixtures;
import dev.vsa.core.validate.Issue;
import dev.vsa.core.validate.Severity;
import dev.vsa.core.validate.ValidationOptions;
import dev.vsa.core.validate.ValidationReport;
import dev.vsa.core.validate.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplatValidationTest {
    /** The 3DGS PLY properties of SH degree 0, in the order the reference code writes them. */
    private static final List<String> DEGREE0 = List.of("x", "y", "z", "nx", "ny", "nz", "f_dc_0", "f_dc_1", "f_dc_2",
            "opacity", "scale_0", "scale_1", "scale_2", "rot_0", "rot_1", "rot_2", "rot_3");
    /** One good splat: at the origin, grey, opacity 0.5, scale e^-3, identity rotation. */
    private static final float[] GOOD = {0, 0, 0, 0, 0, 0, 0.1f, 0.2f, 0.3f, 0, -3, -3, -3, 1, 0, 0, 0};

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
            "splats/unitCube-ascii.ply, model/x-ply, 20, 0",
            "splats/test-sh3.compressed.ply, model/x-ply-compressed, 64, 3",
            "splats/minimal.splat, model/x-splat, 4, 0",
            "splats/minimal-v2.spz, model/x-spz, 4, 0",
            "splats/minimal-v3.spz, model/x-spz, 4, 0",
            "splats/minimal-v4.spz, model/x-spz, 4, 0",
            "splats/minimal-raw.spz, model/x-spz, 4, 0",
    })
    void validate_realFiles(String fixture, String mimeType, long count, int shDegree) throws IOException {
        ValidationReport r = Validator.validate(TestFixtures.path(fixture));
        assertEquals(mimeType, r.mimeType());
        assertEquals(0, r.issues().numErrors(), () -> r.issues().messages().toString());
        assertEquals(count, r.info().splatCount());
        assertEquals(shDegree, r.info().shDegree());
    }

    @Test
    void validate_cleanPly() throws IOException {
        ValidationReport r = Validator.validate(ply("good.ply", DEGREE0, GOOD, GOOD));
        assertEquals(List.of(), r.issues().messages());
        assertTrue(r.isValid(Severity.HINT));
        assertEquals(2L, r.info().splatCount());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // column index | value | code | severity | message fragment
            "0  | NaN       | SPLAT_NON_FINITE                | ERROR   | of x are NaN or infinite, the first at splat 1",
            "11 | -Infinity | SPLAT_NON_FINITE                | ERROR   | of scale_1 are NaN",
            "9  | 25        | SPLAT_OPACITY_OUT_OF_RANGE      | WARNING | outside [-20, 20], the first at splat 1; the most extreme is 25",
            "9  | -21       | SPLAT_OPACITY_OUT_OF_RANGE      | WARNING | the most extreme is -21",
            "10 | 12        | SPLAT_SCALE_OUT_OF_RANGE        | WARNING | outside [-30, 10]",
            "12 | -31       | SPLAT_SCALE_OUT_OF_RANGE        | WARNING | the most extreme is -31",
            "7  | 100       | SPLAT_SH_OUT_OF_RANGE           | WARNING | outside [-50, 50]",
    })
    void validate_badValue(int column, float value, String code, Severity severity, String fragment)
            throws IOException {
        float[] bad = GOOD.clone();
        bad[column] = value;
        ValidationReport r = Validator.validate(ply("bad.ply", DEGREE0, GOOD, bad, GOOD));
        Issue issue = only(r, code);
        assertEquals(severity, issue.severity());
        assertTrue(issue.message().contains(fragment), issue.message());
        assertEquals(3L, r.info().splatCount());
    }

    @Test
    void validate_zeroQuaternion() throws IOException {
        float[] bad = GOOD.clone();
        Arrays.fill(bad, 13, 17, 0f);
        ValidationReport r = Validator.validate(ply("q.ply", DEGREE0, GOOD, GOOD, bad, bad));
        Issue issue = only(r, SplatChecks.ROTATION_NOT_NORMALIZABLE);
        assertEquals(Severity.ERROR, issue.severity());
        assertTrue(issue.message().startsWith("2 rotation(s)") && issue.message().endsWith("at splat 2."),
                issue.message());
    }

    @Test
    void validate_nanQuaternion() throws IOException {
        float[] bad = GOOD.clone();
        bad[14] = Float.NaN;
        ValidationReport r = Validator.validate(ply("q.ply", DEGREE0, bad));
        assertEquals(Severity.ERROR, only(r, SplatChecks.ROTATION_NOT_NORMALIZABLE).severity());
        assertEquals(Severity.ERROR, only(r, SplatChecks.NON_FINITE).severity());
    }

    @ParameterizedTest
    @CsvSource({"plain.ply, 2", "splats/test-sh3.compressed.ply, 0"})
    void validate_trailingData(String fixture, int rows) throws IOException {
        Path f = fixture.startsWith("splats/") ? Files.copy(TestFixtures.path(fixture), dir.resolve("c.compressed.ply"))
                : ply(fixture, DEGREE0, GOOD, GOOD);
        long size = Files.size(f);
        Files.write(f, new byte[] {1, 2, 3, 4, 5, 6, 7}, java.nio.file.StandardOpenOption.APPEND);
        ValidationReport r = Validator.validate(f);
        Issue issue = only(r, CodecSplatValidator.TRAILING_DATA);
        assertEquals(Severity.WARNING, issue.severity());
        assertEquals(size, issue.offset());
        assertTrue(issue.message().startsWith("7 bytes"), issue.message());
    }

    @Test
    void validate_ksplat() throws IOException {
        assertTrue(dev.vsa.core.format.Codecs.all().stream()
                .anyMatch(c -> c.format() == dev.vsa.core.splat.SplatFormat.KSPLAT), "a .ksplat reader");
        ValidationReport r = Validator.validate(TestFixtures.path("splats/minimal.ksplat"));
        assertEquals("model/x-ksplat", r.mimeType());
        assertEquals(0, r.issues().numErrors(), () -> r.issues().messages().toString());
        assertEquals(4L, r.info().splatCount());
    }

    @Test
    void validate_emptyPly() throws IOException {
        ValidationReport r = Validator.validate(ply("empty.ply", DEGREE0));
        assertEquals(Severity.WARNING, only(r, CodecSplatValidator.EMPTY).severity());
        assertEquals(0L, r.info().splatCount());
    }

    @Test
    void validate_extraProperties() throws IOException {
        List<String> props = new ArrayList<>(DEGREE0);
        props.add("segment_id");
        float[] row = Arrays.copyOf(GOOD, GOOD.length + 1);
        ValidationReport r = Validator.validate(ply("extra.ply", props, row));
        Issue issue = only(r, CodecSplatValidator.EXTRA_PROPERTIES);
        assertEquals(Severity.INFO, issue.severity());
        assertTrue(issue.message().contains("segment_id"));
        assertTrue(r.isValid());
    }

    @Test
    void validate_issuesCounted_beyondMaxIssues() throws IOException {
        float[] bad = GOOD.clone();
        bad[0] = Float.NaN;
        bad[1] = Float.NaN;
        bad[9] = 99;
        ValidationReport r = Validator.validate(ply("many.ply", DEGREE0, bad),
                ValidationOptions.defaults().withMaxIssues(1));
        assertEquals(2, r.issues().numErrors());
        assertEquals(1, r.issues().numWarnings());
        assertEquals(1, r.issues().messages().size());
        assertTrue(r.issues().truncated());
    }

    // Reader errors: each becomes one ERROR issue whose code is the reader's ErrorCode name.
    @Test
    void validate_plyTruncated() throws IOException {
        Path f = ply("t.ply", DEGREE0, GOOD, GOOD);
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 10));
        ValidationReport r = Validator.validate(f);
        assertReaderError(r, "PLY_TRUNCATED");
    }

    @Test
    void validate_plyBadShLayout() throws IOException {
        List<String> props = new ArrayList<>(DEGREE0);
        props.addAll(9, List.of("f_rest_0", "f_rest_1", "f_rest_2", "f_rest_3", "f_rest_4"));
        assertReaderError(Validator.validate(ply("sh.ply", props, new float[props.size()])), "PLY_BAD_SH_LAYOUT");
    }

    @Test
    void validate_plyMissingProperty() throws IOException {
        List<String> props = new ArrayList<>(DEGREE0);
        props.remove("opacity");
        assertReaderError(Validator.validate(ply("m.ply", props, new float[props.size()])), "PLY_MISSING_PROPERTY");
    }

    @Test
    void validate_plyBadFormatLine() throws IOException {
        Path f = Files.writeString(dir.resolve("f.ply"), "ply\nformat binary_middle_endian 1.0\nelement vertex 0\n"
                + "property float x\nend_header\n");
        assertReaderError(Validator.validate(f), "PLY_UNSUPPORTED_FORMAT");
    }

    @Test
    void validate_splatBadLength() throws IOException {
        byte[] b = Files.readAllBytes(TestFixtures.path("splats/minimal.splat"));
        Path f = Files.write(dir.resolve("odd.splat"), Arrays.copyOf(b, b.length + 5));
        Issue issue = assertReaderError(Validator.validate(f), "SPLAT_BAD_LENGTH");
        assertEquals(128L, issue.offset());
    }

    @Test
    void validate_spzUnsupportedVersion() throws IOException {
        byte[] b = Files.readAllBytes(TestFixtures.path("splats/minimal-raw.spz"));
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 99);
        assertReaderError(Validator.validate(Files.write(dir.resolve("v99.spz"), b)), "SPZ_UNSUPPORTED_VERSION");
    }

    @Test
    void validate_spzTruncated() throws IOException {
        byte[] b = Files.readAllBytes(TestFixtures.path("splats/minimal-raw.spz"));
        ValidationReport r = Validator.validate(Files.write(dir.resolve("t.spz"), Arrays.copyOf(b, b.length - 8)));
        assertEquals("SPZ_TRUNCATED", r.issues().messages().get(0).code(), r.issues().messages().toString());
    }

    @Test
    void validate_spzCorruptGzip() throws IOException {
        byte[] b = Files.readAllBytes(TestFixtures.path("splats/minimal-v3.spz"));
        for (int i = 20; i < b.length - 8; i++) {
            b[i] = (byte) 0xFF;
        }
        ValidationReport r = Validator.validate(Files.write(dir.resolve("c.spz"), b));
        assertEquals("model/x-spz", r.mimeType());
        assertEquals(Severity.ERROR, r.issues().messages().get(0).severity());
        assertNull(r.info());
    }

    @Test
    void validate_compressedPlyBadChunks() throws IOException {
        String text = new String(Files.readAllBytes(TestFixtures.path("splats/test-sh3.compressed.ply")),
                StandardCharsets.ISO_8859_1);
        Path f = Files.write(dir.resolve("c.compressed.ply"),
                text.replace("element chunk 1\n", "element chunk 7\n").getBytes(StandardCharsets.ISO_8859_1));
        ValidationReport r = Validator.validate(f);
        assertEquals("model/x-ply-compressed", r.mimeType());
        assertEquals(Severity.ERROR, r.issues().messages().get(0).severity(), r.issues().messages().toString());
    }

    private static Issue assertReaderError(ValidationReport r, String code) {
        Issue issue = only(r, code);
        assertEquals(Severity.ERROR, issue.severity());
        assertNotNull(issue.message());
        return issue;
    }

    private static Issue only(ValidationReport r, String code) {
        List<Issue> found = r.issues().messages().stream().filter(i -> i.code().equals(code)).toList();
        assertEquals(1, found.size(), () -> code + " in " + r.issues().messages());
        return found.get(0);
    }

    /** A binary little-endian PLY with one float property per name and the given rows. */
    private Path ply(String name, List<String> props, float[]... rows) throws IOException {
        StringBuilder h = new StringBuilder("ply\nformat binary_little_endian 1.0\nelement vertex " + rows.length + "\n");
        for (String p : props) {
            h.append("property float ").append(p).append('\n');
        }
        h.append("end_header\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
        ByteBuffer body = ByteBuffer.allocate(rows.length * props.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : rows) {
            for (float v : row) {
                body.putFloat(v);
            }
        }
        out.write(body.array());
        return Files.write(dir.resolve(name), out.toByteArray());
    }
}
