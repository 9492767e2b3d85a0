package dev.vsa.processing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.vsa.processing.ProcessingTestSupport.awaitTerminal;
import static dev.vsa.processing.ProcessingTestSupport.fixture;
import static dev.vsa.processing.ProcessingTestSupport.fixtureBytes;
import static dev.vsa.processing.ProcessingTestSupport.part;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real process and convert jobs over real files, one engine with workers for the class. */
class ProcessJobTest {
    @TempDir
    static Path home;
    static Processing p;
    static User u;

    @BeforeAll
    static void start() {
        p = Processing.start(ProcessingTestSupport.config(home, TestDatabases.fresh(),
                Map.of(ProcessingConfig.UPLOAD_MAX_BYTES, "200000")));
        p.startWorkers(2);
        u = p.users().create("proc", "proc@example.org", "h");
    }

    @AfterAll
    static void stop() {
        p.close();
    }

    static Scene processed(List<UploadPart> parts) throws Exception {
        Scene s = p.scenes().upload(u.id(), parts);
        Job j = awaitTerminal(p, u.id(), s.latestJobId());
        Scene done = p.scenes().get(u.id(), s.id()).orElseThrow();
        assertEquals(JobState.SUCCEEDED, j.state(), () -> j + "\n" + done);
        assertEquals(100, j.progress());
        assertEquals(SceneStatus.READY, done.status());
        return done;
    }

    static Set<String> names(Scene s) {
        return s.files().stream().map(SceneFile::name).collect(Collectors.toSet());
    }

    /** The thumbnail's name: WebP when a WebP image writer is on the class path. */
    static String thumbnail() {
        return javax.imageio.ImageIO.getImageWritersByFormatName("webp").hasNext() ? "thumbnail.webp" : "thumbnail.png";
    }

    /** {@code names} plus the preview and the thumbnail every processed scene gets. */
    static Set<String> withPreviews(String... names) {
        Set<String> all = new java.util.HashSet<>(Set.of(names));
        all.add("preview.png");
        all.add(thumbnail());
        return all;
    }

    @ParameterizedTest
    @CsvSource({
            "unitCube-ascii.ply, splat, 'scene.spz,scene.glb,viewer.spz', viewer.spz",
            "minimal.splat, splat, 'scene.spz,scene.glb,viewer.spz', viewer.spz",
            "minimal-v4.spz, splat, 'scene.glb,viewer.spz', viewer.spz",
            "minimal-v3.spz, splat, 'scene.glb', original/minimal-v3.spz",
            "Box.glb, mesh, '', ''"})
    void process_fixture_readyWithMetadataAndOutputs(String fixture, String kind, String outputs, String viewerFile)
            throws Exception {
        Scene s = processed(part(fixture));
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(fixtureBytes(fixture))),
                s.sha256(), "the process job records the original's SHA-256");
        assertEquals(kind, s.metadata().path("kind").asText());
        assertTrue(s.validation().has("valid"), s.validation()::toString);
        Set<String> expected = withPreviews("original/" + fixture, "validation.json");
        if (!outputs.isEmpty()) {
            expected.addAll(Arrays.asList(outputs.split(",")));
        }
        assertEquals(expected, names(s), s.metadata()::toString);
        // the file the web app's viewer shows: an SPZ 3 (gzip), made for it unless the scene has one already
        assertEquals(viewerFile, s.metadata().path("viewerFile").asText(), s.metadata()::toString);
        if (kind.equals("splat")) {
            FileDownload.Stream v = (FileDownload.Stream) p.scenes().openFile(u.id(), s.id(), viewerFile, ByteRange.ALL)
                    .orElseThrow();
            try (InputStream in = v.content()) {
                byte[] head = in.readNBytes(2);
                assertEquals(0x1f8b, (head[0] & 0xff) << 8 | head[1] & 0xff, "a gzip SPZ: " + viewerFile);
            }
            assertTrue(s.metadata().path("splatCount").asLong() > 0);
            assertTrue(s.metadata().has("bounds"), s.metadata()::toString);
        } else {
            assertEquals(12, s.metadata().path("triangleCount").asLong());
        }
    }

    @Test
    void process_khrGlbMadeFromSplats_readyWithSpz() throws Exception {
        Scene first = processed(part("unitCube-ascii.ply"));
        FileDownload.Stream glb = (FileDownload.Stream) p.scenes().openFile(u.id(), first.id(), "scene.glb", ByteRange.ALL).orElseThrow();
        Scene s = processed(List.of(new UploadPart("cube.glb", null, glb.content())));
        assertEquals("splat", s.metadata().path("kind").asText());
        assertEquals(first.metadata().path("splatCount"), s.metadata().path("splatCount"));
        assertEquals(withPreviews("original/cube.glb", "scene.spz", "validation.json", "viewer.spz"), names(s));
        assertTrue(s.validation().path("valid").asBoolean(), s.validation()::toString);
    }

    @Test
    void process_fileTheValidatorRejects_invalidWithReport() throws Exception {
        Scene s = p.scenes().upload(u.id(), part("khr_conformance_matrix.glb"));
        Job j = awaitTerminal(p, u.id(), s.latestJobId());
        assertEquals(JobState.FAILED, j.state());
        assertEquals(1, j.attempts());
        Scene after = p.scenes().get(u.id(), s.id()).orElseThrow();
        assertEquals(SceneStatus.INVALID, after.status());
        int errors = after.validation().path("numErrors").asInt();
        assertTrue(errors > 1, after.validation()::toString);
        assertTrue(after.error().startsWith("invalid file: " + errors + " errors: "), after.error());
        assertTrue(after.error().contains("MESH_PRIMITIVE_POSITION_ACCESSOR_WITHOUT_BOUNDS"), after.error());
        assertEquals(Set.of("original/khr_conformance_matrix.glb", "validation.json"), names(after));
    }

    @Test
    void process_spzDeclaringFarMoreThanItsSize_failsBeforeAnyPassOverIt() throws Exception {
        // Issue 10 part 4: a gzip SPZ whose header and stream agree on 200,000 identical splats: 3.7 KB that decode
        // to 11 MB (a 1.8 MB one declared 99M splats and held a worker for two full inflations before failing).
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int count = 200_000;
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bytes)) {
            java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            header.putInt(0x5053474e).putInt(2).putInt(count).put((byte) 0).put((byte) 12).put((byte) 0).put((byte) 0);
            gz.write(header.array());
            gz.write(new byte[count * 19]); // SH degree 0: 19 bytes a splat
        }
        Scene s = p.scenes().upload(u.id(), List.of(new UploadPart("dense.spz", null,
                new ByteArrayInputStream(bytes.toByteArray()))));
        Job j = awaitTerminal(p, u.id(), s.latestJobId());
        assertEquals(JobState.FAILED, j.state(), j::toString);
        assertEquals(1, j.attempts(), "a permanent failure");
        assertTrue(j.lastError().contains("200000 splats") && j.lastError().contains(Limits.UPLOAD_ZIP_MAX_RATIO), j.lastError());
        assertEquals(Set.of("original/dense.spz"), names(p.scenes().get(u.id(), s.id()).orElseThrow()),
                "refused before validation: no report, no outputs");
    }

    /** The 30-byte header of a lossless WebP of {@code side x side} texels (all a size check reads), and padding. */
    private static byte[] webpHeader(int side) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(40).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(32)
                .put("WEBPVP8L".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(20)
                .put((byte) 0x2F).putInt((side - 1) | (side - 1) << 14);
        return b.array();
    }

    @Test
    void process_sogDeclaringFarMoreThanItsSize_failsBeforeAnyPassOverIt() throws Exception {
        // Issue 10 part 4 for SOG: a 3 KB bundle whose meta.json declares 160,000 splats (9 MB decoded) in five
        // 400x400 images (within core's own allowance for images, which bounds the texels, not the splats).
        StringBuilder book = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            book.append(i == 0 ? "" : ",").append(i / 64.0);
        }
        String meta = "{\"version\":2,\"count\":160000,\"means\":{\"mins\":[0,0,0],\"maxs\":[1,1,1],"
                + "\"files\":[\"means_l.webp\",\"means_u.webp\"]},\"scales\":{\"codebook\":[" + book
                + "],\"files\":[\"scales.webp\"]},\"quats\":{\"files\":[\"quats.webp\"]},\"sh0\":{\"codebook\":["
                + book + "],\"files\":[\"sh0.webp\"]}}";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry("meta.json"));
            z.write(meta.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (String image : List.of("means_l", "means_u", "scales", "quats", "sh0")) {
                z.putNextEntry(new ZipEntry(image + ".webp"));
                z.write(webpHeader(400));
            }
        }
        Scene s = p.scenes().upload(u.id(), List.of(new UploadPart("dense.sog", null,
                new ByteArrayInputStream(bytes.toByteArray()))));
        Job j = awaitTerminal(p, u.id(), s.latestJobId());
        assertEquals(JobState.FAILED, j.state(), j::toString);
        assertEquals(1, j.attempts(), "a permanent failure");
        assertTrue(j.lastError().contains("160000 splats") && j.lastError().contains(Limits.UPLOAD_ZIP_MAX_RATIO), j.lastError());
        // an uploaded zip is unpacked: the job read the unbundled meta.json with its images beside it
        Set<String> kept = names(p.scenes().get(u.id(), s.id()).orElseThrow());
        assertTrue(kept.contains("original/meta.json") && kept.stream().allMatch(n -> n.startsWith("original/")),
                "refused before validation: no report, no outputs: " + kept);
    }

    @Test
    void process_gltfWithResourcesAsParts_packedIntoGlb() throws Exception {
        Scene s = processed(List.of(new UploadPart("Box0.bin", null, fixture("Box_glTF/Box0.bin")),
                new UploadPart("Box.gltf", "model/gltf+json", fixture("Box_glTF/Box.gltf"))));
        assertEquals("gltf", s.format());
        assertEquals("Box.gltf", s.originalFilename());
        assertEquals(withPreviews("original/Box.gltf", "original/Box0.bin", "scene.glb", "validation.json"), names(s));
        assertEquals(12, s.metadata().path("triangleCount").asLong());
    }

    @Test
    void process_gltfInZip_unpackedAndPacked() throws Exception {
        byte[] zip = zip(Map.of("box/Box.gltf", fixtureBytes("Box_glTF/Box.gltf"), "box/Box0.bin", fixtureBytes("Box_glTF/Box0.bin")));
        Scene s = processed(List.of(new UploadPart("box.zip", "application/zip", new ByteArrayInputStream(zip))));
        assertEquals(withPreviews("original/box/Box.gltf", "original/box/Box0.bin", "scene.glb", "validation.json"), names(s));
    }

    /**
     * A LOD set zipped (lod-meta.json and the units it names, each a meta.json with images) is one scene, its
     * lod-meta.json the main file; it was refused as "4 scene files in one upload". The web app shows it from
     * viewer.spz.
     */
    @Test
    void process_lodSetInZip_oneSceneShownFromViewerSpz() throws Exception {
        Path dir = Path.of("../core/src/test/resources/splats/lod/st-2lv-sh1");
        Map<String, byte[]> entries = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(f -> Files.isRegularFile(f) && !f.toString().endsWith(".py")).toList()) {
                entries.put(dir.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
            }
        }
        Scene s = processed(List.of(new UploadPart("st-2lv-sh1.zip", "application/zip", new ByteArrayInputStream(zip(entries)))));
        assertEquals("lod", s.format(), s::toString);
        assertEquals("viewer.spz", s.metadata().path("viewerFile").asText(), s.metadata()::toString);
        assertTrue(names(s).containsAll(Set.of("original/lod-meta.json", "original/0_0/meta.json", "viewer.spz")),
                () -> names(s).toString());
    }

    /**
     * splat-transform writes its .sog bundles as a stream: entries stored, their sizes in a data descriptor after
     * the data. Java's ZipInputStream cannot read such entries ("only DEFLATED entries can have EXT descriptor"),
     * so the upload was refused as a bad zip; the zip's central directory has the sizes.
     */
    @Test
    void process_sogBundleFromSplatTransform_storedEntriesWithDescriptors_accepted() throws Exception {
        Path sog = Path.of("../core/src/test/resources/splats/sog/st-2k-sh3.sog");
        Scene s = processed(List.of(new UploadPart("st-2k-sh3.sog", null, new ByteArrayInputStream(Files.readAllBytes(sog)))));
        assertEquals("sog", s.format(), s::toString);
        assertEquals(2000, s.metadata().path("splatCount").asLong(), s.metadata()::toString);
        assertTrue(names(s).containsAll(Set.of("original/meta.json", "original/shN_labels.webp", "viewer.spz")),
                () -> names(s).toString());
    }

    @Test
    void upload_loneGltfWithoutItsBin_refusedNamingIt() {
        UploadRejectedException e = assertThrows(UploadRejectedException.class, () -> p.scenes().upload(u.id(),
                List.of(new UploadPart("Box.gltf", "model/gltf+json", fixture("Box_glTF/Box.gltf")))));
        assertEquals(UploadRejectedException.Reason.BAD_PARTS, e.reason());
        assertTrue(e.getMessage().contains("refers to files not in the upload: Box0.bin"), e.getMessage());
    }

    @Test
    void upload_zipSlipEntry_rejected() throws IOException {
        byte[] zip = zip(Map.of("../../evil.gltf", fixtureBytes("Box_glTF/Box.gltf")));
        UploadRejectedException e = assertThrows(UploadRejectedException.class, () -> p.scenes().upload(u.id(),
                List.of(new UploadPart("a.zip", null, new ByteArrayInputStream(zip)))));
        assertEquals(UploadRejectedException.Reason.BAD_ARCHIVE, e.reason());
    }

    @Test
    void upload_zipBomb_stopsAtLimit() throws IOException {
        byte[] zip = zip(Map.of("big.ply", new byte[5_000_000])); // compresses to a few KB, unpacks past 200 KB
        assertTrue(zip.length < 200_000);
        UploadRejectedException e = assertThrows(UploadRejectedException.class, () -> p.scenes().upload(u.id(),
                List.of(new UploadPart("a.zip", null, new ByteArrayInputStream(zip)))));
        assertEquals(UploadRejectedException.Reason.TOO_LARGE, e.reason());
    }

    @Test
    void upload_zipOverRatio_rejectedUnderTotalLimit() throws IOException {
        // 150 KB of zeros: under the 200 KB upload limit, but it unpacks to hundreds of times the zip's size
        byte[] zip = zip(Map.of("big.ply", new byte[150_000]));
        assertTrue(150_000 > 100L * zip.length, "zip of " + zip.length + " bytes");
        UploadRejectedException e = assertThrows(UploadRejectedException.class, () -> p.scenes().upload(u.id(),
                List.of(new UploadPart("a.zip", null, new ByteArrayInputStream(zip)))));
        assertEquals(UploadRejectedException.Reason.TOO_LARGE, e.reason());
        assertTrue(e.getMessage().contains(Limits.UPLOAD_ZIP_MAX_RATIO), e.getMessage());
    }

    @Test
    void upload_tooLarge_rejected() {
        UploadRejectedException e = assertThrows(UploadRejectedException.class, () -> p.scenes().upload(u.id(),
                List.of(new UploadPart("a.ply", null, new ByteArrayInputStream(new byte[300_000])))));
        assertEquals(UploadRejectedException.Reason.TOO_LARGE, e.reason());
    }

    @Test
    void convert_toPly_addsOutputAndRerunOverwrites() throws Exception {
        Scene s = processed(part("minimal.splat"));
        for (int run = 0; run < 2; run++) {
            Job j = p.scenes().requestConversion(u.id(), s.id(), ConversionTarget.PLY).orElseThrow();
            assertEquals(JobState.SUCCEEDED, awaitTerminal(p, u.id(), j.id()).state());
        }
        Scene after = p.scenes().get(u.id(), s.id()).orElseThrow();
        assertEquals(1, after.files().stream().filter(f -> f.name().equals("scene.ply")).count());
        assertEquals(1, p.store().list("scenes/" + s.id() + "/outputs/scene.ply").size());
        FileDownload.Stream d = (FileDownload.Stream) p.scenes().openFile(u.id(), s.id(), "scene.ply", new ByteRange(0, 3)).orElseThrow();
        try (InputStream in = d.content()) {
            assertArrayEquals("ply".getBytes(), in.readAllBytes());
        }
        assertTrue(d.partial());
    }

    @Test
    void reprocess_sameScene_noDuplicateRowsOrObjects() throws Exception {
        Scene s = processed(part("unitCube-ascii.ply"));
        UUIDs.requeue(p, s);
        Job again = awaitTerminal(p, u.id(), s.latestJobId());
        assertEquals(JobState.SUCCEEDED, again.state());
        Scene after = p.scenes().get(u.id(), s.id()).orElseThrow();
        assertEquals(names(s), names(after));
        assertEquals(List.of("scenes/" + s.id() + "/outputs/preview.png", "scenes/" + s.id() + "/outputs/scene.glb",
                "scenes/" + s.id() + "/outputs/scene.spz", "scenes/" + s.id() + "/outputs/" + thumbnail(),
                "scenes/" + s.id() + "/outputs/validation.json", "scenes/" + s.id() + "/outputs/viewer.spz"),
                p.store().list("scenes/" + s.id() + "/outputs/"));
    }

    @ParameterizedTest
    @CsvSource({"unitCube-ascii.ply", "Box.glb"})
    void process_anyScene_previewAndThumbnailArePictures(String fixture) throws Exception {
        Scene s = processed(part(fixture));
        assertEquals(512, s.metadata().path("preview").path("width").asInt(), s.metadata()::toString);
        FileDownload.Stream png = (FileDownload.Stream) p.scenes().openFile(u.id(), s.id(), "preview.png", ByteRange.ALL)
                .orElseThrow();
        java.awt.image.BufferedImage img;
        try (InputStream in = png.content()) {
            img = javax.imageio.ImageIO.read(in);
        }
        assertEquals(512, img.getWidth());
        // Not a blank picture: the scene covers a good share of it.
        int covered = 0;
        for (int y = 0; y < 512; y += 4) {
            for (int x = 0; x < 512; x += 4) {
                if ((img.getRGB(x, y) & 0xFFFFFF) != 0x202020) {
                    covered++;
                }
            }
        }
        assertTrue(covered > 128 * 128 / 20, "covered " + covered);
        SceneFile thumb = s.files().stream().filter(f -> f.name().equals(thumbnail())).findFirst().orElseThrow();
        assertEquals(SceneFile.Kind.OUTPUT, thumb.kind());
        assertTrue(thumb.contentType().startsWith("image/"), thumb::toString);
        FileDownload.Stream t = (FileDownload.Stream) p.scenes().openFile(u.id(), s.id(), thumbnail(), ByteRange.ALL)
                .orElseThrow();
        try (InputStream in = t.content()) {
            assertEquals(256, javax.imageio.ImageIO.read(in).getWidth());
        }
    }

    @Test
    void process_previewFails_sceneStillReadyWithReason() throws Exception {
        // Valid glTF whose meshes are EXT_meshopt_compression-compressed: the renderer cannot decode them.
        Scene s = processed(part("BoxMeshopt.glb"));
        assertEquals(Set.of("original/BoxMeshopt.glb", "validation.json"), names(s));
        assertTrue(s.metadata().path("preview").path("error").asText().startsWith("UNSUPPORTED_FEATURE"),
                s.metadata()::toString);
    }

    @Test
    void delete_removesRowsAndObjects() throws Exception {
        Scene s = processed(part("minimal.splat"));
        assertTrue(p.scenes().delete(u.id(), s.id()));
        assertTrue(p.scenes().get(u.id(), s.id()).isEmpty());
        // the objects by the purge job committed with the delete, once the running workers get to it
        ProcessingTestSupport.await("the scene's objects purged", () -> {
            try {
                return p.store().list("scenes/" + s.id() + "/").isEmpty();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
