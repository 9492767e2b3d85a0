package dev.vsa.core.format.khr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.Fixtures;
import dev.vsa.core.gltf.resource.SmallHeapTest;
import dev.vsa.core.splat.ConvertOptions;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;
import dev.vsa.core.testing.SyntheticSplats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPZ payloads instanced by many nodes (issue 10, section 4): each instance used to copy the payload to its own
 * temporary file and open its own reader (holding the inflated body, or six zstd streams' buffers) when the file was
 * opened, so a small glTF within the instance and splat limits cost gigabytes of heap and temporary disk.
 */
class KhrSpzInstancesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** An SPZ file of {@code count} synthetic splats of SH degree 0, as bytes (version 3: gzip, 4: zstd). */
    private byte[] spz(int version, int count) throws IOException {
        Path ply = SyntheticSplats.write(dir.resolve("src.ply"), SplatFormat.PLY, SyntheticSplats.layout(0), count, 11);
        Path out = dir.resolve("payload.spz");
        Splats.convert(ply, out, new ConvertOptions(SplatFormat.SPZ, new WriteOptions(version), null), null);
        byte[] b = Files.readAllBytes(out);
        Files.delete(out);
        Files.delete(ply);
        return b;
    }

    /**
     * A glTF whose mesh 0 is one SPZ-compressed primitive of {@code count} splats (buffer view 0), placed by one node
     * per transform in {@code nodes} (each a translation and a turn about x, in radians).
     */
    private static ObjectNode gltf(long count, List<double[]> nodes) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("asset").put("version", "2.0");
        root.putArray("extensionsUsed").add(KhrReader.EXT).add(KhrReader.SPZ_2);
        ArrayNode accessors = root.putArray("accessors");
        String[] types = {"VEC3", "VEC4", "VEC3", "SCALAR", "VEC3"};
        for (String t : types) {
            accessors.addObject().put("componentType", 5126).put("count", count).put("type", t);
        }
        ObjectNode attrs = JSON.createObjectNode().put("POSITION", 0).put(KhrReader.PREFIX + "ROTATION", 1)
                .put(KhrReader.PREFIX + "SCALE", 2).put(KhrReader.PREFIX + "OPACITY", 3)
                .put(KhrReader.PREFIX + "SH_DEGREE_0_COEF_0", 4);
        ObjectNode prim = root.putArray("meshes").addObject().putArray("primitives").addObject();
        prim.set("attributes", attrs);
        prim.put("mode", 0).putObject("extensions").putObject(KhrReader.EXT).putObject("extensions")
                .putObject(KhrReader.SPZ_2).put("bufferView", 0);
        ArrayNode nodeArray = root.putArray("nodes");
        ArrayNode sceneNodes = root.put("scene", 0).putArray("scenes").addObject().putArray("nodes");
        for (double[] t : nodes) {
            ObjectNode n = nodeArray.addObject().put("mesh", 0);
            n.putArray("translation").add(t[0]).add(t[1]).add(t[2]);
            n.putArray("rotation").add(Math.sin(t[3] / 2)).add(0).add(0).add(Math.cos(t[3] / 2));
            sceneNodes.add(nodeArray.size() - 1);
        }
        return root;
    }

    /** The glTF as a GLB with {@code bin} as its BIN chunk (buffer 0, buffer view 0 all of it). */
    private static Path glb(Path file, ObjectNode root, byte[] bin) throws IOException {
        root.putArray("buffers").addObject().put("byteLength", bin.length);
        if (!root.has("bufferViews")) {
            root.putArray("bufferViews").addObject().put("buffer", 0).put("byteLength", bin.length);
        }
        byte[] j = JSON.writeValueAsBytes(root);
        int jp = (j.length + 3) & ~3;
        int bp = (bin.length + 3) & ~3;
        ByteBuffer out = ByteBuffer.allocate(28 + jp + bp).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0x46546C67).putInt(2).putInt(out.capacity()).putInt(jp).putInt(0x4E4F534A).put(j);
        for (int i = j.length; i < jp; i++) {
            out.put((byte) ' ');
        }
        out.putInt(bp).putInt(0x004E4942).put(bin);
        return Files.write(file, out.array());
    }

    /** The glTF as a .gltf with {@code bin} in a data URI. */
    private static Path dataUri(Path file, ObjectNode root, byte[] bin) throws IOException {
        root.putArray("buffers").addObject().put("byteLength", bin.length)
                .put("uri", "data:application/octet-stream;base64," + Base64.getEncoder().encodeToString(bin));
        if (!root.has("bufferViews")) {
            root.putArray("bufferViews").addObject().put("buffer", 0).put("byteLength", bin.length);
        }
        return Files.write(file, JSON.writeValueAsBytes(root));
    }

    private static List<double[]> placements(int n) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new double[] {i * 1.5, -i, 0.25 * i, 0.3 * i});
        }
        return out;
    }

    /**
     * 2,000 nodes instancing one SPZ mesh of 4,000 splats (8M splats, far inside the limits) from a GLB of some
     * 300 KB, read whole by a JVM of 64 MiB: before, opening it made 2,000 temporary copies and 2,000 open readers
     * (2,000 inflated bodies, or 12,000 zstd streams) and ran out of memory. Now the payload is read in place (no
     * temporary file) by one reader at a time.
     */
    @ParameterizedTest
    @ValueSource(ints = {3, 4})
    void read_thousandsOfInstancesOfOneSpzMesh_boundedUnderSmallHeap(int version) throws Exception {
        int count = 4000;
        int instances = 2000;
        Path file = glb(dir.resolve("hostile.glb"), gltf(count, placements(instances)), spz(version, count));
        assertTrue(Files.size(file) < 400_000, "a small file: " + Files.size(file));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + tmp, "-cp",
                SmallHeapTest.classPath(), ReadAll.class.getName(), file.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        String last = out.strip().lines().reduce((a, b) -> b).orElse("");
        assertEquals("read " + (long) count * instances + " splats, at most 0 temporary files", last, out);
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(0, left.count(), "temporary files left behind");
        }
    }

    /**
     * A payload's cost per instance need not follow its splat count: a gzip payload of one splat may carry 1 MiB of
     * extension records (1 KB compressed). 2,000 nodes instancing it inflated (and allocated) that MiB per instance,
     * some 2 GB for 2,000 splats from a 300 KB file (10,000 nodes: 29 s of CPU). An instanced payload is now decoded
     * once and its rows copied per instance; what the reading thread allocates is the measure (no timing).
     */
    @Test
    void read_instancedPayloadWithLargeExtensions_decodedOnce() throws Exception {
        int extension = 1 << 20;
        ByteBuffer raw = ByteBuffer.allocate(16 + 19 + extension).order(ByteOrder.LITTLE_ENDIAN);
        raw.putInt(0x5053474e).putInt(2).putInt(1).put((byte) 0).put((byte) 12).put((byte) 2).put((byte) 0);
        raw.put(new byte[9]).put((byte) 200).put(new byte[] {(byte) 128, (byte) 128, (byte) 128, 100, 100, 100})
                .put(new byte[] {(byte) 128, (byte) 128, (byte) 255});
        raw.putInt(0x1234).putInt(extension - 8);
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(gz)) {
            z.write(raw.array());
        }
        int instances = 2000;
        Path file = glb(dir.resolve("ext.glb"), gltf(1, placements(instances)), gz.toByteArray());
        assertTrue(Files.size(file) < 400_000, "a small file: " + Files.size(file));
        long before = allocatedByThisThread();
        long n = 0;
        try (KhrReader r = KhrReader.open(file)) {
            SplatBatch b = new SplatBatch(r.info().layout(), SplatBatch.DEFAULT_CAPACITY);
            for (int k; (k = r.read(b)) > 0; ) {
                n += k;
            }
        }
        long allocated = allocatedByThisThread() - before;
        assertEquals(instances, n);
        assertTrue(allocated < 200L << 20, "allocated " + (allocated >> 20) + " MiB to read " + instances + " splats");
    }

    /**
     * 5,000 buffers naming one .bin (spelled three ways) each opened their own channel, holding as many open files
     * while the file was read (in a server, other requests fail meanwhile), and each buffer's view of the payload was
     * a payload of its own, checked apart. Now one channel per file; the rows are the payload's in a GLB.
     */
    @Test
    void read_manyBuffersNamingOneFile_oneOpenFile() throws Exception {
        int count = 100;
        byte[] payload = spz(4, count);
        Files.write(dir.resolve("a.bin"), payload);
        List<double[]> placements = placements(3);
        float[] expected = rows(Fixtures.readAll(glb(dir.resolve("one.glb"), gltf(count, placements), payload)));
        ObjectNode root = gltf(count, placements);
        ArrayNode buffers = root.putArray("buffers");
        ArrayNode views = root.putArray("bufferViews");
        int n = 5000;
        for (int i = 0; i < n; i++) {
            String uri = switch (i % 3) {
                case 0 -> "a.bin";
                case 1 -> "./a.bin";
                default -> "a.bin?v=" + i;
            };
            buffers.addObject().put("byteLength", payload.length).put("uri", uri);
            views.addObject().put("buffer", i).put("byteLength", payload.length);
        }
        // nodes 1 and 2 place copies of mesh 0 reading the payload through views (and buffers) 2,500 and 4,999
        ArrayNode meshes = (ArrayNode) root.get("meshes");
        for (int view : new int[] {n / 2, n - 1}) {
            ObjectNode mesh = meshes.get(0).deepCopy();
            ((ObjectNode) mesh.at("/primitives/0/extensions/" + KhrReader.EXT + "/extensions/" + KhrReader.SPZ_2)).put("bufferView", view);
            meshes.add(mesh);
            ((ObjectNode) root.get("nodes").get(meshes.size() - 1)).put("mesh", meshes.size() - 1);
        }
        Path file = Files.write(dir.resolve("many.gltf"), JSON.writeValueAsBytes(root));
        long before = openFiles();
        try (KhrReader r = KhrReader.open(file)) {
            long open = openFiles() - before;
            assertTrue(open < 20, open + " more files open after opening the glTF");
            SplatBatch all = new SplatBatch(r.info().layout(), 3 * count);
            SplatBatch b = new SplatBatch(r.info().layout(), SplatBatch.DEFAULT_CAPACITY);
            for (int k; (k = r.read(b)) > 0; ) {
                System.arraycopy(b.array(), 0, all.array(), all.size() * all.stride(), k * b.stride());
                all.setSize(all.size() + k);
            }
            assertArrayEquals(expected, rows(all));
        }
    }

    /** Files this process has open (Linux). */
    private static long openFiles() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /** Bytes this thread allocated so far (through reflection: core's module does not read java.management). */
    private static long allocatedByThisThread() throws ReflectiveOperationException {
        Object threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        return (long) Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes").invoke(threads);
    }

    /**
     * Reads the file named by {@code args[0]} whole and prints how many splats it read and the most files the
     * temporary folder held meanwhile (or what stopped it).
     */
    public static final class ReadAll {
        public static void main(String[] args) {
            try (SplatReader r = Splats.open(Path.of(args[0]))) {
                Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
                long most = files(tmp);
                SplatBatch b = new SplatBatch(r.info().layout(), SplatBatch.DEFAULT_CAPACITY);
                long n = 0;
                for (int k; (k = r.read(b)) > 0; ) {
                    n += k;
                    most = Math.max(most, files(tmp));
                }
                System.out.println("read " + n + " splats, at most " + most + " temporary files");
            } catch (MalformedInputException e) {
                System.out.println(e.code() + ": " + e.getMessage());
            } catch (Throwable t) {
                System.out.println(t);
            }
        }

        private static long files(Path dir) throws IOException {
            try (Stream<Path> s = Files.list(dir)) {
                return s.count();
            }
        }
    }

    /**
     * A legit instanced file still reads as its instances would one by one: three nodes placing one payload (gzip
     * and zstd; in a GLB and in a data URI) give exactly the rows of three files of one node each, in node order.
     */
    @ParameterizedTest
    @ValueSource(ints = {3, 4})
    void read_instancedPayload_sameRowsAsEachInstanceAlone(int version) throws Exception {
        int count = 3000; // more than one batch: instances change inside a batch's worth of reads
        byte[] payload = spz(version, count);
        List<double[]> placements = placements(3);
        List<float[]> alone = new ArrayList<>();
        for (double[] t : placements) {
            alone.add(rows(Fixtures.readAll(glb(dir.resolve("alone.glb"), gltf(count, List.of(t)), payload))));
        }
        float[] expected = concat(alone);
        SplatBatch fromGlb = Fixtures.readAll(glb(dir.resolve("three.glb"), gltf(count, placements), payload));
        assertEquals(3L * count, fromGlb.size());
        assertArrayEquals(expected, rows(fromGlb));
        SplatBatch fromUri = Fixtures.readAll(dataUri(dir.resolve("three.gltf"), gltf(count, placements), payload));
        assertArrayEquals(expected, rows(fromUri));
    }

    private static float[] rows(SplatBatch b) {
        return java.util.Arrays.copyOf(b.array(), b.size() * b.stride());
    }

    private static float[] concat(List<float[]> parts) {
        float[] out = new float[parts.stream().mapToInt(a -> a.length).sum()];
        int at = 0;
        for (float[] a : parts) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }

    /**
     * Two buffer views over the same bytes of a data URI (the payload, and the payload with its padding) would each be
     * copied to a temporary file; copies of one data URI may not add up to more than its size.
     */
    @Test
    void read_overlappingPayloadViewsInDataUri_limitExceeded() throws Exception {
        byte[] payload = spz(3, 10);
        byte[] padded = java.util.Arrays.copyOf(payload, payload.length + 3);
        ObjectNode root = gltf(10, placements(1));
        root.putArray("bufferViews").add(JSON.createObjectNode().put("buffer", 0).put("byteLength", payload.length))
                .add(JSON.createObjectNode().put("buffer", 0).put("byteLength", padded.length));
        ObjectNode second = ((ArrayNode) root.get("meshes")).addObject();
        second.set("primitives", root.get("meshes").get(0).get("primitives").deepCopy());
        ((ObjectNode) second.get("primitives").get(0).at("/extensions/" + KhrReader.EXT + "/extensions/" + KhrReader.SPZ_2))
                .put("bufferView", 1);
        ((ArrayNode) root.get("nodes")).addObject().put("mesh", 1);
        ((ArrayNode) root.at("/scenes/0/nodes")).add(1);
        Path p = dataUri(dir.resolve("overlap.gltf"), root, padded);
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> Splats.open(p).close());
        assertEquals(ErrorCode.LIMIT_EXCEEDED, e.code(), e::toString);
        assertTrue(e.getMessage().contains("overlap"), e.getMessage());
        // the same views in a GLB are read in place: nothing is copied, both instances read
        Path inGlb = glb(dir.resolve("overlap.glb"), root, padded);
        assertEquals(20, Fixtures.readAll(inGlb).size());
    }

    /**
     * A payload whose header declares more splats than the primitive's accessors is refused from its header, before
     * its body is inflated: here a gzip stream cut off after the header gave SPZ_TRUNCATED, found by inflating.
     */
    @Test
    void read_payloadCountDiffersFromAccessors_refusedBeforeInflating() throws Exception {
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(gz)) {
            z.write(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(0x5053474e).putInt(3).putInt(5000).put((byte) 0).put((byte) 12).array());
        }
        Path p = glb(dir.resolve("short.glb"), gltf(1, placements(1)), gz.toByteArray());
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> Splats.open(p).close());
        assertEquals(ErrorCode.GLTF_BAD_SPLAT_ATTRIBUTE, e.code(), e::toString);
        assertTrue(e.getMessage().contains("5000"), e.getMessage());
    }

    /**
     * Without scenes every mesh is read once; its splat primitives count against the instance limit too, before any
     * payload is opened (10,001 primitives each opened their payload, then were read).
     */
    @Test
    void read_manySpzPrimitivesWithoutScenes_limitExceeded() throws Exception {
        ObjectNode root = gltf(10, List.of());
        root.remove("scenes");
        root.remove("scene");
        ArrayNode prims = (ArrayNode) root.at("/meshes/0/primitives");
        JsonNode one = prims.get(0);
        for (int i = 0; i < 10_000; i++) {
            prims.add(one.deepCopy());
        }
        Path p = glb(dir.resolve("flat.glb"), root, spz(3, 10));
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> Splats.open(p).close());
        assertEquals(ErrorCode.LIMIT_EXCEEDED, e.code(), e::toString);
        assertTrue(e.getMessage().contains("10001 times"), e.getMessage());
    }
}
