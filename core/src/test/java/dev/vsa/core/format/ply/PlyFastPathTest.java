package dev.vsa.core.format.ply;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.PlyRows;
import dev.vsa.core.splat.ConvertOptions;
import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.testing.SyntheticSplats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The binary reader's fast path (rows of little-endian floats only: native reads, columns placed by runs or one
 * by one) against its general path (any types and byte orders), on the same values in many property orders.
 */
class PlyFastPathTest {
    @TempDir
    Path dir;

    /**
     * A binary PLY of {@code b}'s rows with the vertex properties in {@code names} order ({@code nx ny nz} write
     * zeros), each of type float except {@code doubleName} (null: none), in the given byte order.
     */
    static byte[] encode(SplatBatch b, List<String> names, String doubleName, ByteOrder order) {
        SplatLayout l = b.layout();
        StringBuilder h = new StringBuilder("ply\nformat binary_" + (order == ByteOrder.LITTLE_ENDIAN ? "little" : "big")
                + "_endian 1.0\nelement vertex " + b.size() + "\n");
        int[] column = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            h.append("property ").append(name.equals(doubleName) ? "double" : "float").append(' ').append(name).append('\n');
            column[i] = -1;
            for (int c = 0; c < l.stride(); c++) {
                if (l.columnName(c).equals(name)) {
                    column[i] = c;
                }
            }
        }
        h.append("end_header\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        ByteBuffer bb = ByteBuffer.allocate(8).order(order);
        for (int r = 0; r < b.size(); r++) {
            for (int i = 0; i < names.size(); i++) {
                float v = column[i] < 0 ? 0f : b.get(r, column[i]);
                bb.clear();
                if (names.get(i).equals(doubleName)) {
                    bb.putDouble(v);
                } else {
                    bb.putFloat(v);
                }
                out.write(bb.array(), 0, bb.position());
            }
        }
        return out.toByteArray();
    }

    /** The 3DGS trainer's order: x y z nx ny nz f_dc_* f_rest_* opacity scale_* rot_*, then the extras. */
    static List<String> standardOrder(SplatLayout l) {
        List<String> names = new ArrayList<>(List.of("x", "y", "z", "nx", "ny", "nz", "f_dc_0", "f_dc_1", "f_dc_2"));
        for (int k = 0; k < l.restCount(); k++) {
            names.add("f_rest_" + k);
        }
        names.addAll(List.of("opacity", "scale_0", "scale_1", "scale_2", "rot_0", "rot_1", "rot_2", "rot_3"));
        names.addAll(l.extras());
        return names;
    }

    private SplatBatch read(byte[] ply, String name, int capacity) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, ply);
        try (SplatReader r = Splats.open(f)) {
            int count = (int) r.info().count();
            SplatBatch all = new SplatBatch(r.info().layout(), Math.max(1, count));
            SplatBatch part = new SplatBatch(r.info().layout(), capacity);
            int n, at = 0;
            while ((n = r.read(part)) > 0) {
                System.arraycopy(part.array(), 0, all.array(), at * part.stride(), n * part.stride());
                at += n;
            }
            all.setSize(at);
            return all;
        }
    }

    private void assertSameRows(SplatBatch expected, SplatBatch actual) {
        assertEquals(expected.layout(), actual.layout());
        assertEquals(expected.size(), actual.size());
        assertArrayEquals(Arrays.copyOf(expected.array(), expected.size() * expected.stride()),
                Arrays.copyOf(actual.array(), actual.size() * actual.stride()));
    }

    /**
     * Fast path (all floats, little-endian) and general path (one double; or big-endian) give the same rows: in
     * the standard order (placed by runs), shuffled (one by one), with extras; over several read chunks (rows of
     * ~250 bytes, 1 MiB chunks) and batches that do not divide them.
     */
    @ParameterizedTest
    @CsvSource({"3,standard,9000,1000", "3,shuffled,9000,777", "0,standard,300,64", "1,shuffled,300,300",
            "2,standard,5000,4096", "3,reversed,4500,5000"})
    void fastPath_sameRowsAsGeneralPath(int degree, String order, int count, int capacity) throws IOException {
        SplatLayout layout = degree == 3 ? SyntheticSplats.layout(3, "confidence") : SyntheticSplats.layout(degree);
        SplatBatch rows = SyntheticSplats.generate(layout, count, 40 + degree);
        List<String> names = standardOrder(layout);
        if (order.equals("shuffled")) {
            Collections.shuffle(names, new Random(degree));
        } else if (order.equals("reversed")) {
            Collections.reverse(names);
        }
        SplatBatch fast = read(encode(rows, names, null, ByteOrder.LITTLE_ENDIAN), "fast.ply", capacity);
        SplatBatch general = read(encode(rows, names, "opacity", ByteOrder.LITTLE_ENDIAN), "double.ply", capacity);
        SplatBatch bigEndian = read(encode(rows, names, null, ByteOrder.BIG_ENDIAN), "be.ply", capacity);
        assertSameRows(general, fast);
        assertSameRows(general, bigEndian);
        for (int i = 0; i < count; i += 97) { // and they are the file's values (rotations made unit length)
            assertEquals(rows.get(i, SplatLayout.X), fast.get(i, SplatLayout.X));
            assertEquals(rows.get(i, layout.extrasOffset() - 1), fast.get(i, layout.extrasOffset() - 1));
            float w = fast.get(i, SplatLayout.ROT_W), x = fast.get(i, SplatLayout.ROT_X), y = fast.get(i, SplatLayout.ROT_Y),
                    z = fast.get(i, SplatLayout.ROT_Z);
            assertEquals(1, w * w + x * x + y * y + z * z, 1e-5);
        }
    }

    @Test
    void runs_standardLayout_four() {
        SplatLayout l = SplatLayout.of(3);
        List<String> names = standardOrder(l);
        List<Integer> from = new ArrayList<>(), to = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            int c = SplatLayout.FIXED_NAMES.indexOf(names.get(i));
            if (names.get(i).startsWith("f_rest_")) {
                c = SplatLayout.REST + Integer.parseInt(names.get(i).substring(7));
            }
            if (c >= 0) {
                from.add(i);
                to.add(c);
            }
        }
        int[][] runs = PlyReader.runs(from.stream().mapToInt(Integer::intValue).toArray(),
                to.stream().mapToInt(Integer::intValue).toArray());
        assertArrayEquals(new int[] {0, 6, 54, 55}, runs[0]);
        assertArrayEquals(new int[] {0, SplatLayout.DC_0, SplatLayout.OPACITY, SplatLayout.SCALE_0}, runs[1]);
        assertArrayEquals(new int[] {3, 48, 1, 7}, runs[2]); // scales and rotation are neighbours in both
    }

    /** A file cut short after its header was checked (shrunk while read) fails with PLY_TRUNCATED, one line. */
    @ParameterizedTest
    @CsvSource({"false", "true"})
    void read_fileShrinksWhileRead_truncated(boolean general) throws IOException {
        SplatLayout layout = SplatLayout.of(3);
        SplatBatch rows = SyntheticSplats.generate(layout, 9000, 3);
        Path f = dir.resolve("shrinks.ply");
        Files.write(f, encode(rows, standardOrder(layout), general ? "x" : null, ByteOrder.LITTLE_ENDIAN));
        try (SplatReader r = Splats.open(f)) {
            SplatBatch b = new SplatBatch(layout, 2000);
            assertEquals(2000, r.read(b));
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.truncate(ch.size() - 1000 * 248 - 5);
            }
            MalformedInputException e = assertThrows(MalformedInputException.class, () -> {
                while (r.read(b) > 0) {
                    // until the end
                }
            });
            assertEquals(ErrorCode.PLY_TRUNCATED, e.code());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    /**
     * A float PLY without extras is {@link PlyRows}: converted to GLB (blocks read, encoded and written on all cores)
     * and to PLY it gives the same bytes as the same values through batches (a file with one double column), in the
     * standard property order (one bulk copy a block) and shuffled (placed by runs); over several of the GLB writer's
     * 4096-row blocks and a short last one.
     */
    @ParameterizedTest
    @CsvSource({"3,standard,12411", "3,shuffled,9000", "0,standard,4097", "1,reversed,300", "2,standard,1"})
    void convert_plyRows_sameBytesAsBatches(int degree, String order, int count) throws IOException {
        SplatLayout layout = SyntheticSplats.layout(degree);
        SplatBatch rows = SyntheticSplats.generate(layout, count, 60 + degree);
        List<String> names = standardOrder(layout);
        if (order.equals("shuffled")) {
            Collections.shuffle(names, new Random(degree));
        } else if (order.equals("reversed")) {
            Collections.reverse(names);
        }
        Path floats = dir.resolve("floats.ply");
        Path general = dir.resolve("general.ply");
        Files.write(floats, encode(rows, names, null, ByteOrder.LITTLE_ENDIAN));
        Files.write(general, encode(rows, names, "opacity", ByteOrder.LITTLE_ENDIAN));
        try (SplatReader a = Splats.open(floats); SplatReader b = Splats.open(general)) {
            assertTrue(a instanceof PlyRows, "a float PLY reads as PlyRows");
            assertFalse(b instanceof PlyRows, "a PLY with a double column reads through batches");
        }
        for (String ext : List.of("glb", "ply")) {
            Path viaRows = dir.resolve("rows." + ext);
            Path viaBatches = dir.resolve("batches." + ext);
            Splats.convert(floats, viaRows, ConvertOptions.DEFAULTS, ProgressListener.NONE);
            Splats.convert(general, viaBatches, ConvertOptions.DEFAULTS, ProgressListener.NONE);
            assertArrayEquals(Files.readAllBytes(viaBatches), Files.readAllBytes(viaRows), ext);
        }
    }

    /**
     * A non-finite value (or a zero rotation) in a later block of a float PLY fails its GLB conversion as it fails
     * through batches: the first such splat and column named, no output left.
     */
    @ParameterizedTest
    @CsvSource({"9001,f_rest_44,NaN", "4096,x,Infinity", "5000,scale_2,-Infinity", "12000,rot_0,zero"})
    void convert_plyRows_firstInvalidSplatReported(int splat, String column, String value) throws IOException {
        SplatLayout layout = SyntheticSplats.layout(3);
        SplatBatch rows = SyntheticSplats.generate(layout, 12411, 5);
        if (value.equals("zero")) {
            for (int c = SplatLayout.ROT_W; c <= SplatLayout.ROT_Z; c++) {
                rows.set(splat, c, 0f);
            }
        } else {
            int c = 0;
            while (!layout.columnName(c).equals(column)) {
                c++;
            }
            rows.set(splat, c, Float.parseFloat(value));
        }
        rows.set(splat + 300, SplatLayout.Y, Float.NaN); // a later one is not the one reported
        String[] messages = new String[2];
        int i = 0;
        for (String type : new String[] {null, "opacity"}) {
            Path in = dir.resolve("bad" + i + ".ply");
            Path out = dir.resolve("bad" + i + ".glb");
            Files.write(in, encode(rows, standardOrder(layout), type, ByteOrder.LITTLE_ENDIAN));
            MalformedInputException e = assertThrows(MalformedInputException.class,
                    () -> Splats.convert(in, out, ConvertOptions.DEFAULTS, ProgressListener.NONE));
            assertEquals(ErrorCode.NON_FINITE_VALUES, e.code());
            assertEquals("splat " + splat, e.where());
            assertTrue(e.getMessage().contains(value.equals("zero") ? "zero-length rotation" : column + " is " + value),
                    e.getMessage());
            assertFalse(Files.exists(out));
            messages[i++] = e.getMessage();
        }
        assertEquals(messages[1], messages[0]);
    }
}
