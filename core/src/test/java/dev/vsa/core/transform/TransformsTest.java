package dev.vsa.core.transform;

import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFileInfo;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.testing.SyntheticSplats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransformsTest {
    @TempDir
    Path dir;

    /** A reader over an in-memory batch, handing out rows in pieces of {@code piece}. */
    static SplatReader memory(SplatBatch all, int piece) {
        return new SplatReader() {
            int next;

            @Override
            public SplatFileInfo info() {
                return new SplatFileInfo(SplatFormat.PLY, 0, "", all.size(), all.layout(), 0);
            }

            @Override
            public int read(SplatBatch b) {
                int n = Math.min(Math.min(piece, b.capacity()), all.size() - next);
                System.arraycopy(all.array(), next * all.stride(), b.array(), 0, n * all.stride());
                next += n;
                b.setSize(n);
                return n;
            }

            @Override
            public void close() {
            }
        };
    }

    SplatBatch run(SplatBatch input, Transform... steps) throws IOException {
        try (SplatReader r = Transforms.apply(memory(input, 777), List.of(steps), dir)) {
            SplatLayout layout = r.info().layout();
            SplatBatch out = new SplatBatch(layout, Math.max(1, input.size()));
            SplatBatch part = new SplatBatch(layout, 1000);
            int rows = 0;
            int n;
            while ((n = r.read(part)) > 0) {
                System.arraycopy(part.array(), 0, out.array(), rows * layout.stride(), n * layout.stride());
                rows += n;
            }
            out.setSize(rows);
            return out;
        }
    }

    @Test
    void parse_everyForm() {
        assertEquals(new Transform.Translate(1, 2, 3), Transform.parse("translate=1,2,3"));
        assertEquals(Transform.Rotate.euler(0, 90, 0), Transform.parse("rotate=0,90,0"));
        assertEquals(new Transform.Rotate(1, 0, 0, 0), Transform.parse("rotate=2,0,0,0"));
        assertEquals(new Transform.Scale(2), Transform.parse("scale=2"));
        assertEquals(new Transform.FilterNan(), Transform.parse("filter-nan"));
        assertEquals(new Transform.Box(0, 0, 0, 1, 1, 1), Transform.parse("box=0,0,0,1,1,1"));
        assertEquals(new Transform.Sphere(1, 2, 3, 4), Transform.parse("sphere=1,2,3,4"));
        assertEquals(new Transform.ShDegree(1), Transform.parse("sh=1"));
        assertEquals(new Transform.MortonSort(), Transform.parse("sort=morton"));
        assertEquals(Transform.Decimate.toFraction(0.5), Transform.parse("decimate=0.5"));
        assertEquals(Transform.Decimate.toCount(100000), Transform.parse("decimate=100000"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"translate=1,2", "rotate=0,0,0,0", "scale=0", "scale=-1", "box=1,0,0,0,1,1", "sphere=0,0,0,-1",
            "sh=4", "sh=1.5", "sort=hilbert", "decimate=0", "decimate=1.5", "filter-nan=1", "spin=3", "translate=a,b,c"})
    void parse_bad_illegalArgument(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Transform.parse(spec));
        assertTrue(e.getMessage().contains(spec), e.getMessage());
    }

    @Test
    void rotate_y90_movesXToMinusZ() throws IOException {
        SplatBatch b = SyntheticSplats.generate(SplatLayout.of(0), 1, 1);
        b.set(0, 0, 1);
        b.set(0, 1, 0);
        b.set(0, 2, 0);
        SplatBatch r = run(b, Transform.parse("rotate=0,90,0"));
        assertEquals(0, r.get(0, 0), 1e-6);
        assertEquals(-1, r.get(0, 2), 1e-6);
    }

    @Test
    void rotate_shColourFollowsTheScene() throws IOException {
        SplatLayout layout = SplatLayout.of(3);
        SplatBatch b = SyntheticSplats.generate(layout, 50, 5);
        Transform.Rotate rot = Transform.Rotate.euler(30, -70, 125);
        SplatBatch r = run(b, rot);
        double[] m = ShRotation.rotationMatrix(rot.w(), rot.x(), rot.y(), rot.z());
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 50; i++) {
            double x = random.nextGaussian(), y = random.nextGaussian(), z = random.nextGaussian();
            double n = Math.sqrt(x * x + y * y + z * z);
            x /= n;
            y /= n;
            z /= n;
            double rx = m[0] * x + m[1] * y + m[2] * z, ry = m[3] * x + m[4] * y + m[5] * z, rz = m[6] * x + m[7] * y + m[8] * z;
            for (int c = 0; c < 3; c++) {
                assertEquals(eval(b, i, c, x, y, z), eval(r, i, c, rx, ry, rz), 1e-5, "row " + i + " channel " + c);
            }
        }
    }

    @Test
    void rotate_thenInverse_restoresRows() throws IOException {
        SplatBatch b = SyntheticSplats.generate(SyntheticSplats.layout(3, "e"), 100, 5);
        Transform.Rotate rot = Transform.Rotate.euler(10, 20, 30);
        SplatBatch r = run(b, rot, new Transform.Rotate(rot.w(), -rot.x(), -rot.y(), -rot.z()));
        assertArrayEquals(Arrays.copyOf(b.array(), 100 * b.stride()), Arrays.copyOf(r.array(), 100 * b.stride()), 2e-5f);
    }

    /** All 16 frame names of SPZ's coordinate-system extension. */
    static java.util.stream.Stream<String> spzFrames() {
        return Transform.Frame.SPZ_NAMES.stream();
    }

    /** Every ordered pair of the 16 SPZ frames. */
    static java.util.stream.Stream<String> spzFramePairs() {
        return Transform.Frame.SPZ_NAMES.stream().flatMap(a -> Transform.Frame.SPZ_NAMES.stream().map(b -> a + "," + b));
    }

    /**
     * frame=FROM,TO: position multiplied by the signed permutation M, covariance M S M^T, SH colour seen from M d
     * equal to the colour seen from d before, for all 16 x 16 pairs of SPZ's frames (mirrors and rotations).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("spzFramePairs")
    void frame_movesPositionCovarianceAndSh(String pair) throws IOException {
        SplatLayout layout = SplatLayout.of(3);
        SplatBatch b = SyntheticSplats.generate(layout, 30, 8);
        Transform.Frame f = (Transform.Frame) Transform.parse("frame=" + pair);
        double[] m = f.matrix();
        SplatBatch r = run(b, f);
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 30; i++) {
            for (int k = 0; k < 3; k++) {
                double want = m[k * 3] * b.get(i, 0) + m[k * 3 + 1] * b.get(i, 1) + m[k * 3 + 2] * b.get(i, 2);
                assertEquals(want, r.get(i, k), 1e-6);
            }
            double[] before = covariance(b, i);
            double[] after = covariance(r, i);
            for (int p = 0; p < 3; p++) {
                for (int q = 0; q < 3; q++) {
                    double want = 0;
                    for (int u = 0; u < 3; u++) {
                        for (int v = 0; v < 3; v++) {
                            want += m[p * 3 + u] * before[u * 3 + v] * m[q * 3 + v];
                        }
                    }
                    assertEquals(want, after[p * 3 + q], 1e-6 * (1 + Math.abs(want)), "row " + i);
                }
            }
            double x = random.nextGaussian(), y = random.nextGaussian(), z = random.nextGaussian();
            double mx = m[0] * x + m[1] * y + m[2] * z, my = m[3] * x + m[4] * y + m[5] * z, mz = m[6] * x + m[7] * y + m[8] * z;
            for (int c = 0; c < 3; c++) {
                assertEquals(eval(b, i, c, x, y, z), eval(r, i, c, mx, my, mz), 1e-5);
            }
        }
    }

    /** A -> B -> A gives the rows back, for every pair of the 16 frames. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("spzFramePairs")
    void frame_thereAndBack_identity(String pair) throws IOException {
        String[] ab = pair.split(",");
        SplatBatch b = SyntheticSplats.generate(SplatLayout.of(3), 20, 4);
        SplatBatch r = run(b, new Transform.Frame(ab[0], ab[1]), new Transform.Frame(ab[1], ab[0]));
        for (int i = 0; i < 20; i++) {
            for (int k = 0; k < b.stride(); k++) {
                double want = b.get(i, k), got = r.get(i, k);
                if (k >= SplatLayout.ROT_W && k <= SplatLayout.ROT_Z
                        && Math.signum(b.get(i, SplatLayout.ROT_W)) != Math.signum(r.get(i, SplatLayout.ROT_W))) {
                    got = -got; // q and -q are the same rotation
                }
                assertEquals(want, got, 2e-5 * (1 + Math.abs(want)), pair + " row " + i + " column " + k);
            }
        }
    }

    /**
     * A known point: 1 right, 2 up, 3 forward of the origin, given in RDF as (1, -2, 3), comes out in each frame
     * as the letters say (R = 1, L = -1, U = 2, D = -2, F = 3, B = -3 on each axis).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("spzFrames")
    void frame_knownPoint_eachFrame(String frame) throws IOException {
        SplatBatch b = SyntheticSplats.generate(SplatLayout.of(0), 1, 1);
        b.set(0, 0, 1);
        b.set(0, 1, -2);
        b.set(0, 2, 3);
        SplatBatch r = run(b, new Transform.Frame("RDF", frame));
        java.util.Map<Character, Float> along = java.util.Map.of('R', 1f, 'L', -1f, 'U', 2f, 'D', -2f, 'F', 3f, 'B', -3f);
        for (int k = 0; k < 3; k++) {
            assertEquals(along.get(frame.charAt(k)), r.get(0, k), 0f, frame + " axis " + k);
        }
    }

    @Test
    void frame_matrix_zUpIsAQuarterTurnOfYUp() {
        // RUB -> RFU (z up): y' = -z, z' = y; a proper rotation (det +1)
        assertArrayEquals(new double[] {1, 0, 0, 0, 0, -1, 0, 1, 0}, new Transform.Frame("RUB", "RFU").matrix());
        assertEquals(16, Transform.Frame.SPZ_NAMES.stream().distinct().count());
    }

    @Test
    void quaternion_ofRotationMatrix_roundTrips() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 200; i++) {
            double[] q = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            double n = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
            double[] m = ShRotation.rotationMatrix(q[0] / n, q[1] / n, q[2] / n, q[3] / n);
            double[] back = ShRotation.rotationMatrix(ShRotation.quaternion(m)[0], ShRotation.quaternion(m)[1],
                    ShRotation.quaternion(m)[2], ShRotation.quaternion(m)[3]);
            assertArrayEquals(m, back, 1e-12);
        }
    }

    /** --filter's values are in user units: opacity after the sigmoid, scales after exp, colour 0..1. */
    @Test
    void valueFilter_userUnits_keepsExactlyTheMatchingRows() throws IOException {
        SplatBatch b = SyntheticSplats.generate(SplatLayout.of(1), 2000, 6);
        SplatBatch r = run(b, Transform.parse("filter=opacity>0.5, scale_max<=0.2"), Transform.ValueFilter.parse("red>=0.3"));
        int want = 0;
        for (int i = 0; i < 2000; i++) {
            double opacity = 1 / (1 + Math.exp(-b.get(i, SplatLayout.OPACITY)));
            double maxScale = Math.exp(Math.max(b.get(i, SplatLayout.SCALE_0), Math.max(b.get(i, SplatLayout.SCALE_1),
                    b.get(i, SplatLayout.SCALE_2))));
            double red = 0.5 + 0.28209479177387814 * b.get(i, SplatLayout.DC_0);
            if (opacity > 0.5 && maxScale <= 0.2 && red >= 0.3) {
                assertEquals(b.get(i, 0), r.get(want, 0), 0f);
                want++;
            }
        }
        assertTrue(want > 0 && want < 2000, "the data should exercise both outcomes: " + want);
        assertEquals(want, r.size());
    }

    @Test
    void valueFilter_rawNames_testStoredValues() throws IOException {
        SplatBatch b = SyntheticSplats.generate(SyntheticSplats.layout(1, "confidence"), 500, 2);
        SplatBatch r = run(b, Transform.parse("filter=raw_opacity>0,raw_scale_0<-1,f_rest_2!=0,confidence>=0.5"));
        long want = 0;
        for (int i = 0; i < 500; i++) {
            if (b.get(i, SplatLayout.OPACITY) > 0 && b.get(i, SplatLayout.SCALE_0) < -1 && b.get(i, SplatLayout.REST + 2) != 0
                    && b.get(i, b.layout().extrasOffset()) >= 0.5) {
                want++;
            }
        }
        assertEquals(want, r.size());
    }

    @Test
    void valueFilter_unknownColumn_namesTheColumnsOfTheFile() {
        SplatBatch b = SyntheticSplats.generate(SplatLayout.of(0), 5, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(b, Transform.parse("filter=opacty>0.1")));
        assertTrue(e.getMessage().contains("unknown column 'opacty'") && e.getMessage().contains("opacity"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> run(b, Transform.parse("filter=f_rest_0>0"))); // degree 0
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "opacity", "opacity>", ">0.5", "opacity>abc", "opacity>0.5,", "opa city>1", "opacity=>1"})
    void valueFilter_badExpression_illegalArgument(String expr) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Transform.ValueFilter.parse(expr));
        assertTrue(e.getMessage().startsWith("filter"), e.getMessage());
    }

    @Test
    void valueFilter_parse_equalsAndToString() {
        assertEquals("opacity>0.05,scale_max<2,x==1", Transform.ValueFilter.parse(" opacity > 0.05 ,Scale_Max<2,x=1").toString());
    }

    @Test
    void frame_badName_illegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> Transform.parse("frame=RDF,XYZ"));
        assertThrows(IllegalArgumentException.class, () -> Transform.parse("frame=RDF"));
        assertThrows(IllegalArgumentException.class, () -> Transform.parse("frame=RDF,RRU"));
        assertThrows(IllegalArgumentException.class, () -> Transform.parse("frame=RDF,RUBX"));
    }

    /** R S^2 R^T of row i (row-major 3x3). */
    static double[] covariance(SplatBatch b, int i) {
        double w = b.get(i, SplatLayout.ROT_W), x = b.get(i, SplatLayout.ROT_X), y = b.get(i, SplatLayout.ROT_Y),
                z = b.get(i, SplatLayout.ROT_Z);
        double n = Math.sqrt(w * w + x * x + y * y + z * z);
        double[] m = ShRotation.rotationMatrix(w / n, x / n, y / n, z / n);
        double[] out = new double[9];
        for (int p = 0; p < 3; p++) {
            for (int q = 0; q < 3; q++) {
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    double sc = Math.exp(2 * b.get(i, SplatLayout.SCALE_0 + k));
                    s += m[p * 3 + k] * sc * m[q * 3 + k];
                }
                out[p * 3 + q] = s;
            }
        }
        return out;
    }

    /** SH colour (without the DC term) of row i, channel c, in direction (x, y, z). */
    static double eval(SplatBatch b, int i, int c, double x, double y, double z) {
        double s = 0;
        int per = b.layout().restPerChannel();
        double[] basis = new double[7];
        for (int l = 1; l <= b.layout().shDegree(); l++) {
            ShRotation.basis(l, x, y, z, basis);
            for (int k = 0; k < 2 * l + 1; k++) {
                s += basis[k] * b.get(i, SplatLayout.REST + c * per + l * l - 1 + k);
            }
        }
        return s;
    }

    @Test
    void translateAndScale_positionsAndLogScales() throws IOException {
        SplatBatch b = SyntheticSplats.generate(SplatLayout.of(0), 10, 2);
        SplatBatch r = run(b, Transform.parse("translate=1,2,3"), Transform.parse("scale=2"));
        for (int i = 0; i < 10; i++) {
            assertEquals((b.get(i, 0) + 1) * 2, r.get(i, 0), 1e-5);
            assertEquals((b.get(i, 2) + 3) * 2, r.get(i, 2), 1e-5);
            assertEquals(b.get(i, SplatLayout.SCALE_1) + Math.log(2), r.get(i, SplatLayout.SCALE_1), 1e-5);
        }
    }

    @Test
    void filters_dropTheRightRows() throws IOException {
        SplatBatch b = SyntheticSplats.generate(SyntheticSplats.layout(1, "e"), 5000, 3);
        b.set(10, SplatLayout.OPACITY, Float.NaN);
        b.set(20, b.layout().extrasOffset(), Float.POSITIVE_INFINITY);
        assertEquals(4998, run(b, new Transform.FilterNan()).size());
        long inBox = 0, inSphere = 0;
        for (int i = 0; i < 5000; i++) {
            float x = b.get(i, 0), y = b.get(i, 1), z = b.get(i, 2);
            inBox += x >= -1 && x <= 5 && y >= -2 && y <= 2 && z >= 0 && z <= 9 ? 1 : 0;
            inSphere += (x - 1) * (x - 1) + y * y + z * z <= 25 ? 1 : 0;
        }
        assertEquals(inBox, run(b, Transform.parse("box=-1,-2,0,5,2,9")).size());
        assertEquals(inSphere, run(b, Transform.parse("sphere=1,0,0,5")).size());
    }

    @Test
    void shDegree_keepsLowerBandsAndExtras() throws IOException {
        SplatBatch b = SyntheticSplats.generate(SyntheticSplats.layout(3, "e"), 10, 3);
        SplatBatch r = run(b, Transform.parse("sh=1"));
        assertEquals(SyntheticSplats.layout(1, "e"), r.layout());
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < 3; k++) {
                assertEquals(b.get(4, SplatLayout.REST + c * 15 + k), r.get(4, SplatLayout.REST + c * 3 + k));
            }
        }
        assertEquals(b.get(4, b.layout().extrasOffset()), r.get(4, r.layout().extrasOffset()));
    }

    @Test
    void mortonSort_isAPermutationWithLocality() throws IOException {
        SplatBatch b = SyntheticSplats.generate(SplatLayout.of(0), 20_000, 8);
        SplatBatch r = run(b, new Transform.MortonSort());
        assertEquals(20_000, r.size());
        float[] xs = new float[20_000], ys = new float[20_000];
        for (int i = 0; i < 20_000; i++) {
            xs[i] = b.get(i, 0);
            ys[i] = r.get(i, 0);
        }
        Arrays.sort(xs);
        Arrays.sort(ys);
        assertArrayEquals(xs, ys);
        assertTrue(pathLength(r) < pathLength(b) / 5, "sorted rows should be near their neighbours");
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "the spill file is deleted on close");
        }
    }

    private static double pathLength(SplatBatch b) {
        double d = 0;
        for (int i = 1; i < b.size(); i++) {
            double dx = b.get(i, 0) - b.get(i - 1, 0), dy = b.get(i, 1) - b.get(i - 1, 1), dz = b.get(i, 2) - b.get(i - 1, 2);
            d += Math.sqrt(dx * dx + dy * dy + dz * dz);
        }
        return d;
    }

    @Test
    void decimate_fractionAndCount_exactCounts() throws IOException {
        SplatBatch b = SyntheticSplats.generate(SplatLayout.of(0), 10_000, 8);
        assertEquals(2500, run(b, Transform.parse("decimate=0.25")).size());
        assertEquals(1234, run(b, Transform.parse("decimate=1234")).size());
        assertEquals(10_000, run(b, Transform.parse("decimate=20000")).size());
        // after a filter the count is unknown: the spilling path must give the same exact count
        SplatBatch filtered = run(b, Transform.parse("box=-5,-5,-5,5,5,5"));
        SplatBatch spilled = run(b, Transform.parse("box=-5,-5,-5,5,5,5"), Transform.parse("decimate=100"));
        assertEquals(100, spilled.size());
        SplatBatch streamed = run(filtered, Transform.parse("decimate=100"));
        assertArrayEquals(Arrays.copyOf(streamed.array(), 100 * b.stride()), Arrays.copyOf(spilled.array(), 100 * b.stride()));
    }
}
