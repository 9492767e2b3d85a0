package dev.vsa.core.format;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.testing.SyntheticSplats;
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
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** PLY encodings, property types and surrounding elements, written by hand and read back. */
class PlyVariantsTest {
    @TempDir
    Path dir;

    /**
     * A PLY of {@code b}'s rows (SH 1) in {@code encoding}, every property of {@code type}, with a two-row
     * {@code camera} element before the vertices and a {@code face} list element after them.
     */
    static byte[] encode(SplatBatch b, String encoding, String type, boolean listBefore) {
        StringBuilder h = new StringBuilder("ply\nformat " + encoding + " 1.0\ncomment hand-made\n");
        h.append(listBefore ? "element camera 2\nproperty list uchar int ids\n" : "element camera 2\nproperty float fov\nproperty uchar id\n");
        h.append("element vertex ").append(b.size()).append('\n');
        SplatLayout l = b.layout();
        for (int c = 0; c < l.stride(); c++) {
            h.append("property ").append(type).append(' ').append(l.columnName(c)).append('\n');
            if (c == 2) {
                h.append("property ").append(type).append(" nx\n");
            }
        }
        h.append("element face 1\nproperty list uchar int vertex_indices\nend_header\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        boolean ascii = encoding.equals("ascii");
        ByteBuffer bb = ByteBuffer.allocate(64).order(encoding.endsWith("big_endian") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        if (ascii) {
            out.writeBytes((listBefore ? "2 7 8\n1 9\n" : "0.5 1\n0.7 2\n").getBytes(StandardCharsets.US_ASCII));
        } else if (listBefore) {
            out.write(1);
            out.write(bb.clear().putInt(7).array(), 0, 4);
            out.write(1);
            out.write(bb.clear().putInt(9).array(), 0, 4);
        } else {
            for (int r = 0; r < 2; r++) {
                out.write(bb.clear().putFloat(0.5f).array(), 0, 4);
                out.write(r);
            }
        }
        for (int r = 0; r < b.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < l.stride(); c++) {
                float v = b.get(r, c);
                put(out, bb, line, type, ascii, v);
                if (c == 2) {
                    put(out, bb, line, type, ascii, 0);
                }
            }
            if (ascii) {
                out.writeBytes((line.toString().strip() + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
        if (ascii) {
            out.writeBytes("3 0 1 2\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            out.write(3);
            for (int k = 0; k < 3; k++) {
                out.write(bb.clear().putInt(k).array(), 0, 4);
            }
        }
        return out.toByteArray();
    }

    private static void put(ByteArrayOutputStream out, ByteBuffer bb, StringBuilder line, String type, boolean ascii, float v) {
        if (ascii) {
            line.append(type.equals("float") ? Float.toString(v) : Integer.toString(Math.round(v))).append(' ');
            return;
        }
        bb.clear();
        switch (type) {
            case "float" -> bb.putFloat(v);
            case "double" -> bb.putDouble(v);
            case "short", "int16" -> bb.putShort((short) Math.round(v));
            case "int" -> bb.putInt(Math.round(v));
            case "char" -> bb.put((byte) Math.round(v));
            default -> throw new IllegalArgumentException(type);
        }
        out.write(bb.array(), 0, bb.position());
    }

    /** Rows with whole-number values, so integer property types hold them exactly; unit quaternions. */
    static SplatBatch wholeNumbers() {
        SplatBatch b = SyntheticSplats.generate(SplatLayout.of(1), 50, 3);
        for (int r = 0; r < b.size(); r++) {
            for (int c = 0; c < b.stride(); c++) {
                b.set(r, c, Math.round(b.get(r, c) * 10) % 100);
            }
            b.set(r, SplatLayout.ROT_W, 1);
            b.set(r, SplatLayout.ROT_X, 0);
            b.set(r, SplatLayout.ROT_Y, 0);
            b.set(r, SplatLayout.ROT_Z, 0);
        }
        return b;
    }

    @ParameterizedTest
    @CsvSource({"ascii, float", "ascii, int", "binary_little_endian, float", "binary_little_endian, double",
            "binary_little_endian, int16", "binary_big_endian, float", "binary_big_endian, int", "binary_big_endian, char"})
    void read_encodingAndType_sameValues(String encoding, String type) throws IOException {
        SplatBatch b = wholeNumbers();
        Path file = dir.resolve(encoding + "-" + type.toLowerCase(Locale.ROOT) + ".ply");
        Files.write(file, encode(b, encoding, type, false));
        SplatBatch got = Fixtures.readAll(file);
        assertEquals(b.layout(), got.layout(), "nx dropped, camera and face elements skipped");
        new Tolerances(0, 0, 0, 0, 0, 0).check(b, got);
    }

    @Test
    void read_asciiListElementBeforeVertex_skipped() throws IOException {
        SplatBatch b = wholeNumbers();
        Path file = dir.resolve("list.ply");
        Files.write(file, encode(b, "ascii", "float", true));
        new Tolerances(0, 0, 0, 0, 0, 0).check(b, Fixtures.readAll(file));
    }

    @Test
    void open_binaryListElementBeforeVertex_unsupported() throws IOException {
        Path file = dir.resolve("list.ply");
        Files.write(file, encode(wholeNumbers(), "binary_little_endian", "float", true));
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> Fixtures.readAll(file));
        assertEquals(ErrorCode.UNSUPPORTED_FEATURE, e.code());
        assertEquals("element camera", e.where());
    }
}
