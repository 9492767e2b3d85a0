package dev.vsa.core.format;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.inspect.SplatInspection;
import dev.vsa.core.inspect.SplatInspector;
import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.splat.ConvertOptions;
import dev.vsa.core.splat.ConvertResult;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.transform.Transform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A hand-written bad file per error path: each gives its code and says where, quickly, without OOM. */
class BadFilesTest {
    static final String SPLAT_PROPS = "property float x\nproperty float y\nproperty float z\nproperty float f_dc_0\n"
            + "property float f_dc_1\nproperty float f_dc_2\nproperty float opacity\nproperty float scale_0\n"
            + "property float scale_1\nproperty float scale_2\nproperty float rot_0\nproperty float rot_1\n"
            + "property float rot_2\nproperty float rot_3\n";

    @TempDir
    Path dir;

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] binaryPly(long declared, int rows, float value) {
        byte[] header = ascii("ply\nformat binary_little_endian 1.0\nelement vertex " + declared + "\n" + SPLAT_PROPS + "end_header\n");
        ByteBuffer body = ByteBuffer.allocate(rows * 14 * 4).order(ByteOrder.LITTLE_ENDIAN);
        while (body.hasRemaining()) {
            body.putFloat(value);
        }
        return concat(header, body.array());
    }

    static int headerLength(long declared) {
        return binaryPly(declared, 0, 0).length;
    }

    static byte[] ksplatHeader(int major, int minor, int maxSections, int count, int level) {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) major).put(1, (byte) minor).putInt(4, maxSections).putInt(16, count).putShort(20, (short) level);
        return b.array();
    }

    static Stream<Arguments> badFiles() {
        byte[] garbage = new byte[3000];
        Arrays.fill(garbage, (byte) 0xA7);
        byte[] longHeader = new byte[(1 << 20) + 100];
        Arrays.fill(longHeader, (byte) 'a');
        System.arraycopy(ascii("ply\n"), 0, longHeader, 0, 4);
        String compressedHeader = "ply\nformat binary_little_endian 1.0\nelement chunk 5\n"
                + "property float min_x\nproperty float min_y\nproperty float min_z\nproperty float max_x\n"
                + "property float max_y\nproperty float max_z\nproperty float min_scale_x\nproperty float min_scale_y\n"
                + "property float min_scale_z\nproperty float max_scale_x\nproperty float max_scale_y\nproperty float max_scale_z\n"
                + "element vertex 300\nproperty uint packed_position\nproperty uint packed_rotation\n"
                + "property uint packed_scale\nproperty uint packed_color\nend_header\n";
        return Stream.of(
                Arguments.of("empty.ply", new byte[0], ErrorCode.EMPTY_FILE, null),
                Arguments.of("empty.splat", new byte[0], ErrorCode.EMPTY_FILE, null),
                Arguments.of("noise.bin", garbage, ErrorCode.UNKNOWN_FORMAT, null),
                Arguments.of("garbage.ply", concat(ascii("ply\n"), garbage), ErrorCode.PLY_BAD_HEADER, "byte 3004"),
                Arguments.of("no-end.ply", ascii("ply\nformat ascii 1.0\nelement vertex 1\n"), ErrorCode.PLY_BAD_HEADER, "byte"),
                Arguments.of("huge-header.ply", longHeader, ErrorCode.LIMIT_EXCEEDED, "byte 1048576"),
                Arguments.of("format.ply", ascii("ply\nformat binary_middle_endian 1.0\nend_header\n"), ErrorCode.PLY_UNSUPPORTED_FORMAT, "header line 2"),
                Arguments.of("type.ply", ascii("ply\nformat ascii 1.0\nelement vertex 1\nproperty float128 x\nend_header\n0\n"), ErrorCode.PLY_BAD_PROPERTY_TYPE, "header line 4"),
                Arguments.of("list.ply", ascii("ply\nformat ascii 1.0\nelement vertex 1\nproperty list uchar float x\n" + SPLAT_PROPS.substring(17) + "end_header\n"), ErrorCode.PLY_BAD_PROPERTY_TYPE, "property x"),
                Arguments.of("missing.ply", ascii("ply\nformat binary_little_endian 1.0\nelement vertex 1\nproperty float x\nend_header\n0000"), ErrorCode.PLY_MISSING_PROPERTY, "element vertex"),
                Arguments.of("negative.ply", ascii("ply\nformat ascii 1.0\nelement vertex -5\nend_header\n"), ErrorCode.PLY_BAD_HEADER, "header line 3"),
                Arguments.of("notanumber.ply", ascii("ply\nformat ascii 1.0\nelement vertex 99999999999999999999999\nend_header\n"), ErrorCode.PLY_BAD_HEADER, "header line 3"),
                Arguments.of("absurd.ply", ascii("ply\nformat ascii 1.0\nelement vertex 999999999999999\nend_header\n"), ErrorCode.LIMIT_EXCEEDED, "header line 3"),
                Arguments.of("count-too-large.ply", binaryPly(2_000_000_000L, 3, 1f), ErrorCode.PLY_TRUNCATED, "byte " + headerLength(2_000_000_000L)),
                Arguments.of("truncated-row.ply", Arrays.copyOf(binaryPly(3, 3, 1f), headerLength(3) + 3 * 56 - 7), ErrorCode.PLY_TRUNCATED, "byte " + headerLength(3)),
                Arguments.of("sh.ply", ascii("ply\nformat binary_little_endian 1.0\nelement vertex 0\n" + SPLAT_PROPS + "property float f_rest_0\nend_header\n"), ErrorCode.PLY_BAD_SH_LAYOUT, "element vertex"),
                Arguments.of("badvalue.ply", ascii("ply\nformat ascii 1.0\nelement vertex 1\n" + SPLAT_PROPS + "end_header\n1 2 3 abc 0 0 0 0 0 0 1 0 0 0\n"), ErrorCode.PLY_BAD_VALUE, "vertex 0 property f_dc_0"),
                Arguments.of("ascii-short.ply", ascii("ply\nformat ascii 1.0\nelement vertex 2\n" + SPLAT_PROPS + "end_header\n1 2 3 4 0 0 0 0 0 0 1 0 0 0\n1 2 3\n"), ErrorCode.PLY_TRUNCATED, "byte"),
                Arguments.of("chunks.compressed.ply", concat(ascii(compressedHeader), new byte[5 * 48 + 300 * 16]), ErrorCode.PLY_COMPRESSED_BAD_CHUNKS, "element chunk"),
                Arguments.of("short.compressed.ply", concat(ascii(compressedHeader.replace("chunk 5", "chunk 2")), new byte[2 * 48 + 100]), ErrorCode.PLY_TRUNCATED, "byte"),
                Arguments.of("short.ksplat", new byte[100], ErrorCode.KSPLAT_TRUNCATED, "byte 100"),
                Arguments.of("version.ksplat", ksplatHeader(1, 0, 0, 0, 0), ErrorCode.KSPLAT_BAD_HEADER, "byte 0"),
                Arguments.of("level.ksplat", ksplatHeader(0, 1, 0, 0, 7), ErrorCode.KSPLAT_BAD_HEADER, "byte 20"),
                Arguments.of("sections.ksplat", ksplatHeader(0, 1, 2_000_000_000, 0, 0), ErrorCode.KSPLAT_TRUNCATED, "byte 4"),
                Arguments.of("count.ksplat", ksplatHeader(0, 1, 0, 1_000_000, 0), ErrorCode.KSPLAT_BAD_HEADER, "byte 16"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void open_badFile_codeAndPosition(String name, byte[] content, ErrorCode code, String where) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> {
            SplatBatch all = Fixtures.readAll(file);
            assertNotNull(all);
        });
        assertEquals(code, e.code(), e.toString());
        if (where != null) {
            assertNotNull(e.where(), e.toString());
            assertTrue(e.where().contains(where), e.toString());
        }
        assertTrue(e.getMessage().length() > 10, e.toString());
    }

    @Test
    void nanEverywhere_readsAndFiltersToNothing() throws IOException {
        Path file = dir.resolve("nan.ply");
        Files.write(file, binaryPly(100, 100, Float.NaN));
        SplatInspection i = SplatInspector.inspect(file, ProgressListener.NONE);
        assertEquals(100, i.count());
        assertEquals(100, i.columns().get(0).nanCount());
        assertEquals(null, i.bounds());
        ConvertResult r = Splats.convert(file, dir.resolve("out.ply"),
                ConvertOptions.DEFAULTS.withTransforms(List.of(new Transform.FilterNan())), ProgressListener.NONE);
        assertEquals(0, r.splatsOut());
        assertEquals(0, Fixtures.readAll(dir.resolve("out.ply")).size());
    }
}
