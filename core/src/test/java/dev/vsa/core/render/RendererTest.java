package dev.vsa.core.render;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;
import dev.vsa.core.testing.SyntheticSplats;
import dev.vsa.core.testing.TestFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RendererTest {
    /** Set -Dvsa.render.updateReferences=true to rewrite the reference pictures (then look at them). */
    private static final boolean UPDATE = Boolean.getBoolean("vsa.render.updateReferences");

    @TempDir
    Path dir;

    /** One splat row: position, linear scale (same on all axes), opacity, RGB colour; SH degree 0 unless sh given. */
    private record Splat(float x, float y, float z, float scale, float opacity, float r, float g, float b) {
    }

    private Path splatFile(String name, int degree, List<Splat> splats, float[]... rest) throws IOException {
        SplatLayout layout = SplatLayout.of(degree);
        SplatBatch batch = new SplatBatch(layout, splats.size());
        for (int i = 0; i < splats.size(); i++) {
            Splat s = splats.get(i);
            batch.set(i, SplatLayout.X, s.x);
            batch.set(i, SplatLayout.Y, s.y);
            batch.set(i, SplatLayout.Z, s.z);
            for (int k = 0; k < 3; k++) {
                batch.set(i, SplatLayout.SCALE_0 + k, (float) Math.log(s.scale));
            }
            batch.set(i, SplatLayout.ROT_W, 1);
            batch.set(i, SplatLayout.OPACITY, (float) Math.log(s.opacity / (1 - s.opacity)));
            batch.set(i, SplatLayout.DC_0, (s.r - 0.5f) / Sh.C0);
            batch.set(i, SplatLayout.DC_1, (s.g - 0.5f) / Sh.C0);
            batch.set(i, SplatLayout.DC_2, (s.b - 0.5f) / Sh.C0);
            if (rest.length > i) {
                for (int k = 0; k < rest[i].length; k++) {
                    batch.set(i, SplatLayout.REST + k, rest[i][k]);
                }
            }
        }
        batch.setSize(splats.size());
        Path file = dir.resolve(name);
        try (SplatWriter w = Splats.create(file, SplatFormat.PLY, layout, WriteOptions.DEFAULTS)) {
            w.write(batch);
            w.finish();
        }
        return file;
    }

    private static List<BufferedImage> render(Path file, RenderOptions options) throws IOException {
        List<BufferedImage> frames = new ArrayList<>();
        Renderer.render(file, options, (i, image) -> frames.add(image));
        return frames;
    }

    /** Centroid x and y of the pixels where {@code channel} (16 red, 8 green, 0 blue) dominates, or null. */
    private static double[] centroid(BufferedImage img, int channel) {
        double sx = 0, sy = 0;
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                int c = (p >> channel) & 0xFF;
                int others = 0;
                for (int s = 0; s < 24; s += 8) {
                    if (s != channel) {
                        others = Math.max(others, (p >> s) & 0xFF);
                    }
                }
                if (c > 120 && c > 2 * others) {
                    sx += x;
                    sy += y;
                    n++;
                }
            }
        }
        return n == 0 ? null : new double[]{sx / n, sy / n, n};
    }

    /** Grey frame splats at the corners of a 6x6 square (z = 0) so that framing does not depend on the subject. */
    private static List<Splat> frame() {
        List<Splat> s = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            s.add(new Splat((i & 1) == 0 ? -3 : 3, (i & 2) == 0 ? -3 : 3, 0, 0.05f, 0.9f, 0.5f, 0.5f, 0.5f));
        }
        return s;
    }

    @Test
    void render_redSplatLeftOfBlue_landsLeftAndUpStaysUp() throws IOException {
        List<Splat> s = frame();
        s.add(new Splat(-1.5f, 0, 0, 0.4f, 0.95f, 1, 0, 0));
        // PLY frame: y grows downwards, so y = -1.5 is above the red splat's level.
        s.add(new Splat(1.5f, -1.5f, 0, 0.4f, 0.95f, 0, 0, 1));
        BufferedImage img = render(splatFile("lr.ply", 0, s), RenderOptions.DEFAULTS.withSize(128, 128)
                .withCamera(CameraView.FRONT)).get(0);
        double[] red = centroid(img, 16), blue = centroid(img, 0);
        assertTrue(red != null && blue != null, "both splats visible");
        assertTrue(red[0] < 64 && blue[0] > 64, "red left, blue right: " + red[0] + " " + blue[0]);
        assertTrue(blue[1] < red[1] - 10, "blue above red: " + blue[1] + " " + red[1]);
        assertTrue(red[2] > 50, "a splat covers an ellipse of pixels, not a dot: " + red[2]);
    }

    @Test
    void render_nearSplatOccludesFarOne() throws IOException {
        List<Splat> s = frame();
        // The front camera looks along +z: z = -1 is nearer than z = +1.
        s.add(new Splat(0, 0, 1, 0.5f, 0.99f, 0, 0, 1));
        s.add(new Splat(0, 0, -1, 0.5f, 0.99f, 1, 0, 0));
        BufferedImage img = render(splatFile("near.ply", 0, s), RenderOptions.DEFAULTS.withSize(96, 96)
                .withCamera(CameraView.FRONT)).get(0);
        int centre = img.getRGB(48, 48);
        assertTrue(((centre >> 16) & 0xFF) > 200 && (centre & 0xFF) < 40, "red in front: " + Integer.toHexString(centre));
        // Seen from behind (second turntable frame, 180 degrees round), blue is in front.
        BufferedImage back = render(dir.resolve("near.ply"), RenderOptions.DEFAULTS.withSize(96, 96)
                .withCamera(CameraView.FRONT).withFrames(2)).get(1);
        int c2 = back.getRGB(48, 48);
        assertTrue((c2 & 0xFF) > 200 && ((c2 >> 16) & 0xFF) < 40, "blue in front from behind: " + Integer.toHexString(c2));
    }

    @Test
    void render_shDegree1_colourDependsOnViewDirection() throws IOException {
        List<Splat> s = frame();
        s.add(new Splat(0, 0, 0, 0.6f, 0.99f, 0.5f, 0.5f, 0.5f));
        // Coefficient 2 of degree 1 multiplies C1 * z of the viewing direction (from the camera to the splat): red
        // rises seen along +z (the front view) and falls seen along -z.
        float[] rest = new float[9];
        rest[1] = 0.8f;
        float[][] coefficients = new float[5][];
        for (int i = 0; i < 4; i++) {
            coefficients[i] = new float[9];
        }
        coefficients[4] = rest;
        Path file = splatFile("sh.ply", 1, s, coefficients);
        List<BufferedImage> frames = render(file, RenderOptions.DEFAULTS.withSize(64, 64).withCamera(CameraView.FRONT)
                .withFrames(2));
        int front = frames.get(0).getRGB(32, 32), back = frames.get(1).getRGB(32, 32);
        int redFront = (front >> 16) & 0xFF, redBack = (back >> 16) & 0xFF;
        assertTrue(redFront > 200 && redBack < 60, "front " + Integer.toHexString(front) + " back " + Integer.toHexString(back));
        assertEquals((front >> 8) & 0xFF, (back >> 8) & 0xFF, 2, "green does not depend on the view");
    }

    @Test
    void render_floatersDoNotShrinkTheSubject() throws IOException {
        List<Splat> s = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            s.add(new Splat((i % 20) / 10f - 1, (i / 20) / 10f - 1, 0, 0.08f, 0.9f, 1, 0, 0));
        }
        s.add(new Splat(500, 0, 0, 0.1f, 0.9f, 0, 0, 1)); // a floater far away
        s.add(new Splat(0, -400, 300, 0.1f, 0.9f, 0, 0, 1));
        BufferedImage img = render(splatFile("floaters.ply", 0, s), RenderOptions.DEFAULTS.withSize(100, 100)
                .withCamera(CameraView.FRONT)).get(0);
        double[] red = centroid(img, 16);
        assertTrue(red != null && red[2] > 100 * 100 * 0.4, "the subject fills the picture: " + (red == null ? 0 : red[2]));
    }

    @Test
    void render_texturedQuadsWithNodeTransforms_showTextureAndVertexColours() throws IOException {
        BufferedImage img = render(TestFixtures.path("render/quads.glb"), RenderOptions.DEFAULTS.withSize(256, 160)
                .withCamera(CameraView.FRONT)).get(0);
        // The textured quad (node at x = -1.2) is on the left, its texture's quadrants the right way round.
        int[][] expect = {{16, 1}, {8, 1}, {0, 1}, {16, 8}}; // red TL, green TR, blue BL, yellow (red+green) BR
        int[][] at = {{40, 50}, {90, 50}, {40, 110}, {90, 110}};
        for (int q = 0; q < 4; q++) {
            int p = img.getRGB(at[q][0], at[q][1]);
            int a = (p >> expect[q][0]) & 0xFF, b = expect[q][1] == 1 ? 0 : (p >> expect[q][1]) & 0xFF;
            assertTrue(a > 150 && (expect[q][1] == 1 || b > 150), "quadrant " + q + ": " + Integer.toHexString(p));
        }
        int red = img.getRGB(40, 50);
        assertTrue((red & 0xFF) < 40 && ((red >> 8) & 0xFF) < 40, "top left is red: " + Integer.toHexString(red));
        int magenta = img.getRGB(190, 80); // the vertex-coloured quad, right
        assertTrue(((magenta >> 16) & 0xFF) > 150 && (magenta & 0xFF) > 150 && ((magenta >> 8) & 0xFF) < 40,
                "right quad magenta: " + Integer.toHexString(magenta));
        assertEquals(0x202020, img.getRGB(128, 5) & 0xFFFFFF, "background between");
    }

    @Test
    void render_externalResources_resolvedInsideTheFolder() throws IOException {
        // BoxTextured: a .gltf with its .bin and PNG beside it.
        Path gltf = TestFixtures.path("gltf/BoxTextured_glTF/BoxTextured.gltf");
        RenderResult r = Renderer.render(gltf, RenderOptions.DEFAULTS.withSize(64, 64), (i, image) -> { });
        assertEquals("mesh", r.kind());
        assertEquals(12, r.drawn());
    }

    @Test
    void render_uriOutsideTheFolder_rejected() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("asset"));
        Files.writeString(dir.resolve("secret.bin"), "x".repeat(64));
        Path gltf = sub.resolve("evil.gltf");
        Files.writeString(gltf, oneTriangleFrom("../secret.bin"));
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> Renderer.render(gltf, RenderOptions.DEFAULTS, (i, image) -> { }));
        assertEquals(ErrorCode.GLTF_URI_REJECTED, e.code());
    }

    /** A glTF of one 3-vertex mesh whose 36-byte buffer is the file {@code uri}. */
    private static String oneTriangleFrom(String uri) {
        return "{\"asset\":{\"version\":\"2.0\"},\"buffers\":[{\"uri\":\"" + uri + "\",\"byteLength\":36}],"
                + "\"bufferViews\":[{\"buffer\":0,\"byteLength\":36}],\"accessors\":[{\"bufferView\":0,\"componentType\":5126,"
                + "\"count\":3,\"type\":\"VEC3\"}],\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0}}]}],"
                + "\"nodes\":[{\"mesh\":0}],\"scenes\":[{\"nodes\":[0]}]}";
    }

    /** A missing buffer file is a bad reference, as convert, inspect and the splat reader say (it was URI_REJECTED). */
    @Test
    void render_missingBufferFile_badReference() throws IOException {
        Path gltf = dir.resolve("missing.gltf");
        Files.writeString(gltf, oneTriangleFrom("gone.bin"));
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> Renderer.render(gltf, RenderOptions.DEFAULTS, (i, image) -> { }));
        assertEquals(ErrorCode.GLTF_BAD_REFERENCE, e.code(), e::getMessage);
    }

    /** One red triangle, its positions and indices in a data URI; {@code edits} pairs replace text in the JSON. */
    private Path triangle(String name, String... edits) throws IOException {
        java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(44).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float f : new float[]{0, 0, 0, 1, 0, 0, 0, 1, 0}) {
            data.putFloat(f);
        }
        data.putShort((short) 0).putShort((short) 1).putShort((short) 2);
        String json = "{\"asset\":{\"version\":\"2.0\"},\"buffers\":[{\"uri\":\"data:application/octet-stream;base64,"
                + java.util.Base64.getEncoder().encodeToString(data.array()) + "\",\"byteLength\":44}],"
                + "\"bufferViews\":[{\"buffer\":0,\"byteLength\":36},{\"buffer\":0,\"byteOffset\":36,\"byteLength\":6}],"
                + "\"accessors\":[{\"bufferView\":0,\"componentType\":5126,\"count\":3,\"type\":\"VEC3\"},"
                + "{\"bufferView\":1,\"componentType\":5123,\"count\":3,\"type\":\"SCALAR\"}],"
                + "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0},\"indices\":1}]}],"
                + "\"nodes\":[{\"mesh\":0}],\"scenes\":[{\"nodes\":[0]}],\"scene\":0}";
        for (int i = 0; i < edits.length; i += 2) {
            assertTrue(json.contains(edits[i]), edits[i]);
            json = json.replace(edits[i], edits[i + 1]);
        }
        return Files.writeString(dir.resolve(name), json);
    }

    /**
     * Each malformed file jgltf-model fails on (in building the model or in reading an accessor) gets the render
     * error code and one line, not the internal-error path, which now only what jgltf does not throw on bad input
     * reaches.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "accessor count past its view | \"count\":3,\"type\":\"VEC3\" | \"count\":100,\"type\":\"VEC3\"",
        "accessor offset past its view | \"bufferView\":0,\"componentType\":5126 | \"bufferView\":0,\"byteOffset\":1000,\"componentType\":5126",
        "huge accessor count | \"count\":3,\"type\":\"VEC3\" | \"count\":2147483647,\"type\":\"VEC3\"",
        "bad accessor index | \"POSITION\":0 | \"POSITION\":9",
        "bad bufferView index | \"bufferView\":0, | \"bufferView\":5,",
        "bufferView past its buffer | \"byteOffset\":36,\"byteLength\":6 | \"byteOffset\":36,\"byteLength\":600",
        "bad buffer index | \"buffer\":0,\"byteLength\":36 | \"buffer\":3,\"byteLength\":36",
        "buffer without uri | \"uri\": | \"x\":",
        "null buffer | \"buffers\":[{ | \"buffers\":[null,{",
        "bad data URI | base64, | base64,@@",
        "bad mesh index | \"mesh\":0 | \"mesh\":3",
        "missing componentType | \"componentType\":5126, | ''",
        "bad child index | \"mesh\":0} | \"mesh\":0,\"children\":[7]}",
    })
    void render_malformedGltf_badReferenceInOneLine(String what, String from, String to) throws IOException {
        Path f = triangle("bad.gltf", from, to);
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> Renderer.render(f, RenderOptions.DEFAULTS.withSize(16, 16), (i, image) -> { }), what);
        assertEquals(ErrorCode.GLTF_BAD_REFERENCE, e.code(), what + ": " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e::getMessage);
    }

    @Test
    void render_triangleFixtureOfTheMalformedCases_draws() throws IOException {
        assertEquals(1, Renderer.render(triangle("ok.gltf"), RenderOptions.DEFAULTS.withSize(16, 16),
                (i, image) -> { }).drawn());
    }

    /** A node that is its own child (or ancestor): jgltf's computeGlobalTransform looped for ever on it. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void render_nodeCycle_drawsOnceAndEnds() throws IOException {
        Path self = triangle("self.gltf", "\"mesh\":0}", "\"mesh\":0,\"children\":[0]}");
        assertEquals(1, Renderer.render(self, RenderOptions.DEFAULTS.withSize(16, 16), (i, image) -> { }).drawn());
        Path two = triangle("two.gltf", "\"nodes\":[{\"mesh\":0}]",
                "\"nodes\":[{\"mesh\":0,\"children\":[1]},{\"children\":[0],\"translation\":[1,0,0]}]");
        assertEquals(1, Renderer.render(two, RenderOptions.DEFAULTS.withSize(16, 16), (i, image) -> { }).drawn());
    }

    /** jgltf-model's java.util.logging lines (e.g. on a bad componentType) no longer reach stderr's handlers. */
    @Test
    void render_fileJgltfWarnsAbout_noJulLines() throws IOException {
        List<java.util.logging.LogRecord> records = new ArrayList<>();
        java.util.logging.Handler recorder = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(recorder);
        try {
            Path f = triangle("warns.gltf", "\"type\":\"SCALAR\"}", "\"type\":\"SCALAR\",\"byteOffset\":-2}");
            Renderer.render(f, RenderOptions.DEFAULTS.withSize(16, 16), (i, image) -> { });
        } catch (MalformedInputException e) {
            // the verdict does not matter here, only what was logged
        } finally {
            root.removeHandler(recorder);
        }
        assertEquals(List.of(), records.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()).toList());
    }

    @Test
    void render_dracoMesh_unsupported() throws IOException {
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> Renderer.render(
                TestFixtures.path("gltf-samples/BoxDraco.gltf"), RenderOptions.DEFAULTS, (i, image) -> { }));
        assertTrue(e.code() == ErrorCode.UNSUPPORTED_FEATURE || e.code() == ErrorCode.GLTF_URI_REJECTED
                || e.code() == ErrorCode.GLTF_BAD_REFERENCE, e.toString());
    }

    @ParameterizedTest
    @CsvSource({"gltf/Box_glTF/Box.gltf, 17", "gltf/Box_glTF/Box.gltf, 1500", "gltf/Box.glb, 100",
            "gltf/Box.glb, 1000"})
    void render_truncated_oneLineWithInspectsCode(String fixture, int length) throws IOException {
        Path full = TestFixtures.path(fixture);
        Path f = Files.write(dir.resolve(full.getFileName()),
                java.util.Arrays.copyOf(Files.readAllBytes(full), length));
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> Renderer.render(f, RenderOptions.DEFAULTS.withSize(16, 16), (i, image) -> { }));
        assertEquals(assertThrows(MalformedInputException.class,
                () -> dev.vsa.core.gltf.GltfInspector.inspect(f)).code(), e.code(), e::toString);
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("Source:"), e::getMessage);
    }

    @Test
    void render_notAScene_unknownFormat() throws IOException {
        Path f = Files.writeString(dir.resolve("notes.txt"), "hello");
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> Renderer.render(f, RenderOptions.DEFAULTS, (i, image) -> { }));
        assertEquals(ErrorCode.UNKNOWN_FORMAT, e.code());
    }

    @Test
    void render_timeBudgetSpent_limitExceeded() throws IOException {
        Path f = SyntheticSplats.write(dir.resolve("many.ply"), SplatFormat.PLY, SyntheticSplats.layout(0), 50_000, 7);
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> Renderer.render(f,
                RenderOptions.DEFAULTS.withTimeBudget(Duration.ofNanos(1)), (i, image) -> { }));
        assertEquals(ErrorCode.LIMIT_EXCEEDED, e.code());
    }

    @Test
    void render_moreSplatsThanMax_thinnedToTheBound() throws IOException {
        Path f = SyntheticSplats.write(dir.resolve("thin.ply"), SplatFormat.PLY, SyntheticSplats.layout(1), 5_000, 3);
        RenderResult r = Renderer.render(f, RenderOptions.DEFAULTS.withSize(32, 32).withMaxSplats(1000), (i, im) -> { });
        assertEquals(5000, r.inputCount());
        assertTrue(r.drawn() <= 1000 && r.drawn() > 500, "kept " + r.drawn());
    }

    @Test
    void render_orbit_makesEveryFrame() throws IOException {
        List<Integer> seen = new ArrayList<>();
        RenderResult r = Renderer.render(TestFixtures.path("render/quads.glb"),
                RenderOptions.DEFAULTS.withSize(32, 24).withFrames(5), (i, image) -> {
                    assertEquals(32, image.getWidth());
                    seen.add(i);
                });
        assertEquals(List.of(0, 1, 2, 3, 4), seen);
        assertEquals(5, r.frames());
    }

    @ParameterizedTest
    @CsvSource({
        "splats/guitar.compressed.ply, guitar-auto.png, auto, 160x160",
        "splats/lod3_tile_0.ply, lod3-iso.png, iso, 128x96",
        "render/quads.glb, quads-iso.png, iso, 128x96",
        "gltf/BoxVertexColors.glb, box-vertex-colors-auto.png, auto, 96x96",
        "gltf/BoxTextured_glTF/BoxTextured.gltf, box-textured-top.png, top, 96x96",
    })
    void render_fixture_matchesReference(String fixture, String reference, String camera, String size)
            throws IOException {
        int[] wh = RenderOptions.parseSize(size);
        BufferedImage img = render(TestFixtures.path(fixture), RenderOptions.DEFAULTS.withSize(wh[0], wh[1])
                .withCamera(CameraView.of(camera))).get(0);
        Path ref = Path.of("src/test/resources/render/reference").resolve(reference);
        if (UPDATE) {
            Files.createDirectories(ref.getParent());
            ImageIO.write(img, "png", ref.toFile());
        }
        BufferedImage expected = ImageIO.read(TestFixtures.path("render/reference/" + reference).toFile());
        double mad = ImageCompare.meanAbsoluteDifference(img, expected);
        double ssim = ImageCompare.ssim(img, expected);
        assertTrue(mad < 2.0, reference + ": mean absolute difference " + mad);
        assertTrue(ssim > 0.97, reference + ": SSIM " + ssim);
    }

    @Test
    void render_hostileValues_pictureWithoutException() throws IOException {
        // NaN and infinite positions, enormous and tiny scales, zero quaternions, extreme opacities and colours:
        // such splats are dropped or drawn, never a crash or an endless loop.
        SplatLayout layout = SplatLayout.of(1);
        SplatBatch batch = new SplatBatch(layout, 3000);
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e30f, -1e30f, 0f, 80f, -80f,
                1e-30f, 3f};
        for (int i = 0; i < 3000; i++) {
            for (int c = 0; c < layout.stride(); c++) {
                batch.set(i, c, r.nextInt(4) == 0 ? specials[r.nextInt(specials.length)] : (float) r.nextDouble(-3, 3));
            }
        }
        batch.setSize(3000);
        Path file = dir.resolve("hostile.ply");
        try (SplatWriter w = Splats.create(file, SplatFormat.PLY, layout, WriteOptions.DEFAULTS)) {
            w.write(batch);
            w.finish();
        }
        List<BufferedImage> frames = render(file, RenderOptions.DEFAULTS.withSize(64, 64).withFrames(3)
                .withTimeBudget(Duration.ofSeconds(60)));
        assertEquals(3, frames.size());
    }

    @Test
    void imageCompare_detectsAShiftedPicture() throws IOException {
        // The tolerance is not so loose that a visibly different render passes: the same scene from another view.
        BufferedImage a = render(TestFixtures.path("splats/guitar.compressed.ply"),
                RenderOptions.DEFAULTS.withSize(160, 160)).get(0);
        BufferedImage b = render(TestFixtures.path("splats/guitar.compressed.ply"),
                RenderOptions.DEFAULTS.withSize(160, 160).withCamera(CameraView.FRONT)).get(0);
        assertTrue(ImageCompare.meanAbsoluteDifference(a, b) > 2.0 || ImageCompare.ssim(a, b) < 0.97);
        assertTrue(ImageCompare.ssim(a, a) > 0.999);
    }

    @Test
    void toHalf_matchesTheJdkWithinOneUnitInTheNormalRange() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int i = 0; i < 200_000; i++) {
            float f = (float) (r.nextDouble(-1, 1) * Math.pow(10, r.nextInt(-4, 5)));
            short mine = SplatScene.toHalf(f), jdk = Float.floatToFloat16(f);
            if (Math.abs(f) < 0x1p-14f) { // below the smallest normal half
                assertEquals(0f, Math.abs(Float.float16ToFloat(mine)), 0f, "flushed to zero: " + f);
            } else if (Math.abs(f) > 65504f) {
                assertEquals(Math.signum(f) * 65504f, Float.float16ToFloat(mine), 0f);
            } else {
                assertTrue(Math.abs(mine - jdk) <= 1, f + ": " + mine + " vs " + jdk);
            }
        }
        assertEquals(Float.floatToFloat16(1.5f), SplatScene.toHalf(1.5f));
        assertEquals(Float.floatToFloat16(-0.25f), SplatScene.toHalf(-0.25f));
    }

    @Test
    void options_parse() {
        assertEquals(640, RenderOptions.parseSize("640x480")[0]);
        assertEquals(480, RenderOptions.parseSize("640X480")[1]);
        assertEquals(256, RenderOptions.parseSize("256")[1]);
        assertThrows(IllegalArgumentException.class, () -> RenderOptions.parseSize("0x10"));
        assertThrows(IllegalArgumentException.class, () -> RenderOptions.parseSize("9000x10"));
        assertThrows(IllegalArgumentException.class, () -> RenderOptions.parseSize("axb"));
        assertEquals(0xFF8800, RenderOptions.parseColor("#ff8800"));
        assertEquals(0xFF8800, RenderOptions.parseColor("#f80"));
        assertEquals(0xFFFFFF, RenderOptions.parseColor("white"));
        assertThrows(IllegalArgumentException.class, () -> RenderOptions.parseColor("#12345"));
        assertThrows(IllegalArgumentException.class, () -> RenderOptions.DEFAULTS.withFrames(0));
        assertThrows(IllegalArgumentException.class, () -> RenderOptions.DEFAULTS.withMaxSplats(10));
        assertEquals(CameraView.ISO, CameraView.of("ISO"));
        assertTrue(RenderOptions.DEFAULT_MAX_SPLATS >= 100_000 && RenderOptions.DEFAULT_MAX_SPLATS <= 8_000_000);
        assertThrows(IllegalArgumentException.class, () -> CameraView.of("side"));
    }
}
