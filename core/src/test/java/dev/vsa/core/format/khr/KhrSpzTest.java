package dev.vsa.core.format.khr;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.Fixtures;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.Splats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** glTF splats compressed with SPZ: KHR_gaussian_splatting_compression_spz_2 and the legacy draft name. */
class KhrSpzTest {
    @TempDir
    Path dir;

    static Path fixture() throws Exception {
        return Path.of(KhrSpzTest.class.getResource("/splats/khr-spz/cesium-native-basic.glb").toURI());
    }

    /** cesium-native's test file: one splat at glTF (1, 2, 3) under a node turning +90 degrees about x. */
    @Test
    void read_cesiumNativeSpz2_positionThroughNodeInPlyFrame() throws Exception {
        SplatBatch b = Fixtures.readAll(fixture());
        assertEquals(1, b.size());
        assertEquals(0, b.layout().shDegree());
        // glTF frame: M (1,2,3) = (1, 3, -2); the PLY's frame negates x and y
        assertEquals(-1, b.get(0, SplatLayout.X), 1e-3);
        assertEquals(-3, b.get(0, SplatLayout.Y), 1e-3);
        assertEquals(-2, b.get(0, SplatLayout.Z), 1e-3);
    }

    /** The GLB's JSON with a replacement, padded to keep the chunk layout valid. */
    private Path edited(String from, String to) throws Exception {
        byte[] all = Files.readAllBytes(fixture());
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int jsonLen = bb.getInt(12);
        String json = new String(all, 20, jsonLen, StandardCharsets.UTF_8);
        String changed = json.replace(from, to);
        if (changed.equals(json)) {
            throw new IllegalStateException("no " + from);
        }
        byte[] j = changed.getBytes(StandardCharsets.UTF_8);
        int padded = (j.length + 3) & ~3;
        byte[] bin = java.util.Arrays.copyOfRange(all, 20 + jsonLen, all.length);
        ByteBuffer out = ByteBuffer.allocate(20 + padded + bin.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0x46546C67).putInt(2).putInt(20 + padded + bin.length).putInt(padded).putInt(0x4E4F534A);
        out.put(j);
        for (int i = j.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        out.put(bin);
        Path p = dir.resolve("edited.glb");
        Files.write(p, out.array());
        return p;
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 3})
    void write_glbSpz_readsBackLikeSpz(int degree) throws Exception {
        Path src = dev.vsa.core.testing.SyntheticSplats.write(dir.resolve("src.ply"), dev.vsa.core.splat.SplatFormat.PLY,
                dev.vsa.core.testing.SyntheticSplats.layout(degree), 500, 40 + degree);
        Path glb = dir.resolve("out.glb");
        Path spz = dir.resolve("out.spz");
        for (Path out : java.util.List.of(glb, spz)) {
            dev.vsa.core.splat.Splats.convert(src, out, new dev.vsa.core.splat.ConvertOptions(
                    out == glb ? dev.vsa.core.splat.SplatFormat.GLB_SPZ : null, new dev.vsa.core.splat.WriteOptions(3), null),
                    dev.vsa.core.progress.ProgressListener.NONE);
        }
        String json = new String(Files.readAllBytes(glb), StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assertions.assertTrue(json.contains("\"extensionsRequired\":[\"KHR_gaussian_splatting\",\""
                + KhrReader.SPZ_2 + "\"]"), json.substring(0, 400));
        org.junit.jupiter.api.Assertions.assertFalse(json.substring(0, json.indexOf("\"bufferViews\"")).contains("bufferView\""));
        try (SplatReader r = Splats.open(glb)) {
            assertEquals(dev.vsa.core.splat.SplatFormat.GLB, r.info().format());
            assertEquals(500, r.info().count());
        }
        // the same quantization as a plain SPZ v3 of the source; SH are quantized after the frame's sign flips, so a
        // value on a rounding boundary may land one quantization step away (1/16 at 5 bits, 1/8 at 4 bits)
        new dev.vsa.core.format.Tolerances(1e-6, 1e-6, 1e-6, 1e-6, 1e-6, 0.126).check(Fixtures.readAll(spz), Fixtures.readAll(glb));
    }

    @Test
    void read_legacyExtensionName_sameSplat() throws Exception {
        Path p = edited("\"extensions\":{\"KHR_gaussian_splatting\":{\"extensions\":{\"KHR_gaussian_splatting_compression_spz_2\":{\"bufferView\":0}}}}",
                "\"extensions\":{\"KHR_spz_gaussian_splats_compression\":{\"bufferView\":0}}");
        SplatBatch b = Fixtures.readAll(p);
        assertEquals(1, b.size());
        assertEquals(-3, b.get(0, SplatLayout.Y), 1e-3);
    }

    /**
     * 3d-tiles-tools' legacy file (specs/data/gltf/splatting/UnitSH_legacy.glb and .gltf + .bin): the first draft's
     * extension on the primitive, with no KHR_gaussian_splatting anywhere; 9 splats of SH degree 3 under a node
     * turning z up to y up. vsa took it for a mesh (detection looked for KHR_gaussian_splatting only).
     */
    @Test
    void read_3dTilesToolsLegacyFile_splatsAsThePayloadHolds() throws Exception {
        Path glb = Path.of(KhrSpzTest.class.getResource("/splats/khr-spz/3dtt-UnitSH_legacy.glb").toURI());
        Path gltf = glb.resolveSibling("3dtt-UnitSH_legacy.gltf");
        assertEquals(dev.vsa.core.splat.SplatFormat.GLB, Splats.detect(glb));
        assertEquals(dev.vsa.core.splat.SplatFormat.GLTF, Splats.detect(gltf));
        // the buffer view (124 bytes) is the gzip SPZ (121) and 3 bytes of padding, which readers skip
        byte[] bin = Files.readAllBytes(glb.resolveSibling("UnitSH_legacy_data.bin"));
        Path payload = Files.write(dir.resolve("payload.spz"), java.util.Arrays.copyOf(bin, 121));
        SplatBatch spz = Fixtures.readAll(payload); // the SPZ payload alone: glTF-frame values, no node
        for (Path p : java.util.List.of(glb, gltf)) {
            SplatBatch b = Fixtures.readAll(p);
            assertEquals(9, b.size());
            assertEquals(3, b.layout().shDegree());
            for (int i = 0; i < 9; i++) {
                // node matrix (column-major 1,0,0,0, 0,0,-1,0, 0,1,0,0): (x, y, z) -> (x, z, -y); then glTF to PLY
                // frame negates x and y
                float x = spz.get(i, SplatLayout.X);
                float y = spz.get(i, SplatLayout.Y);
                float z = spz.get(i, SplatLayout.Z);
                assertEquals(-x, b.get(i, SplatLayout.X), 1e-4, p + " splat " + i);
                assertEquals(-z, b.get(i, SplatLayout.Y), 1e-4, p + " splat " + i);
                assertEquals(-y, b.get(i, SplatLayout.Z), 1e-4, p + " splat " + i);
            }
        }
    }

    /** Padding up to 4 bytes after a gzip payload is skipped (above); more is still refused. */
    @Test
    void read_payloadWithMoreThanPadding_trailingData() throws Exception {
        Path legacy = Path.of(KhrSpzTest.class.getResource("/splats/khr-spz/3dtt-UnitSH_legacy.gltf").toURI());
        byte[] bin = Files.readAllBytes(legacy.resolveSibling("UnitSH_legacy_data.bin"));
        Files.write(dir.resolve("UnitSH_legacy_data.bin"), java.util.Arrays.copyOf(java.util.Arrays.copyOf(bin, 121), 128));
        String json = Files.readString(legacy);
        Path p = Files.writeString(dir.resolve("long.gltf"), json.replace("\"byteLength\": 124", "\"byteLength\": 128"));
        org.junit.jupiter.api.Assertions.assertNotEquals(json, Files.readString(p));
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> Splats.open(p).close());
        assertEquals(ErrorCode.SPZ_TRAILING_DATA, e.code(), e::toString);
    }

    /**
     * A padded gzip payload whose inflated size is over the SPZ reader's in-memory bound: there the gzip trailer's
     * size field is checked before inflating, and it sits before the padding, not in the buffer view's last four
     * bytes. The reader took the padding for a wrong size and refused the file.
     */
    @Test
    void read_largePaddedGzipPayload_paddingSkipped() throws Exception {
        Path legacy = Path.of(KhrSpzTest.class.getResource("/splats/khr-spz/3dtt-UnitSH_legacy.gltf").toURI());
        int count = 1_100_000; // SH degree 3 as the file lists: 65 bytes a splat, 71.5 MB inflated
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(gz)) {
            z.write(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(0x5053474e).putInt(3).putInt(count).put((byte) 3).put((byte) 12).array());
            byte[] zeros = new byte[1 << 20];
            for (long left = 65L * count; left > 0; left -= zeros.length) {
                z.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
        }
        int padded = (gz.size() + 3) & ~3;
        org.junit.jupiter.api.Assertions.assertTrue(padded > gz.size(), "the stream needs padding for this test");
        Files.write(dir.resolve("big.bin"), java.util.Arrays.copyOf(gz.toByteArray(), padded));
        String json = Files.readString(legacy).replace("\"count\": 9,", "\"count\": " + count + ",")
                .replace("UnitSH_legacy_data.bin", "big.bin").replace("\"byteLength\": 124", "\"byteLength\": " + padded);
        Path p = Files.writeString(dir.resolve("big.gltf"), json);
        try (SplatReader r = Splats.open(p)) {
            assertEquals(count, r.info().count());
            SplatBatch b = new SplatBatch(r.info().layout(), 16);
            assertEquals(16, r.read(b));
        }
    }

    /**
     * The first draft's SPZ primitives count against the instance limit like the base extension's: 10,001 nodes
     * sharing the legacy mesh were not counted, and each instance copied and opened its own payload.
     */
    @Test
    void read_manyInstancesOfLegacyMesh_limitExceeded() throws Exception {
        Path legacy = Path.of(KhrSpzTest.class.getResource("/splats/khr-spz/3dtt-UnitSH_legacy.gltf").toURI());
        Files.copy(legacy.resolveSibling("UnitSH_legacy_data.bin"), dir.resolve("UnitSH_legacy_data.bin"));
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(legacy.toFile());
        com.fasterxml.jackson.databind.node.ArrayNode nodes = root.putArray("nodes");
        com.fasterxml.jackson.databind.node.ArrayNode sceneNodes = root.putArray("scenes").addObject().putArray("nodes");
        for (int i = 0; i <= 10_000; i++) {
            nodes.addObject().put("mesh", 0);
            sceneNodes.add(i);
        }
        Path p = dir.resolve("many.gltf");
        json.writeValue(p.toFile(), root);
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> Splats.open(p).close());
        assertEquals(ErrorCode.LIMIT_EXCEEDED, e.code(), e::toString);
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("10001 times"), e.getMessage());
    }

    @Test
    void read_accessorCountDiffersFromPayload_badAttribute() throws Exception {
        Path p = edited("\"count\":1,\"type\":\"VEC4\"},{\"componentType\":5126,\"count\":1,\"type\":\"VEC4\"}",
                "\"count\":2,\"type\":\"VEC4\"},{\"componentType\":5126,\"count\":1,\"type\":\"VEC4\"}");
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> Splats.open(p).close());
        assertEquals(ErrorCode.GLTF_BAD_SPLAT_ATTRIBUTE, e.code(), e::toString);
    }

    @Test
    void read_shAttributesBeyondPayloadDegree_badAttribute() throws Exception {
        StringBuilder sh = new StringBuilder();
        for (int n = 0; n < 3; n++) {
            sh.append(",\"KHR_gaussian_splatting:SH_DEGREE_1_COEF_").append(n).append("\":3");
        }
        Path p = edited("\"KHR_gaussian_splatting:SCALE\":3", "\"KHR_gaussian_splatting:SCALE\":3" + sh);
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> Splats.open(p).close());
        assertEquals(ErrorCode.GLTF_BAD_SPLAT_ATTRIBUTE, e.code(), e::toString);
    }

    @Test
    void read_bufferViewMissing_badReference() throws Exception {
        Path p = edited("\"KHR_gaussian_splatting_compression_spz_2\":{\"bufferView\":0}",
                "\"KHR_gaussian_splatting_compression_spz_2\":{\"bufferView\":7}");
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> Splats.open(p).close());
        assertEquals(ErrorCode.GLTF_BAD_REFERENCE, e.code(), e::toString);
    }

    @Test
    void read_payloadNotSpz_spzCodeWithPointer() throws Exception {
        byte[] all = Files.readAllBytes(fixture());
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int binStart = 20 + bb.getInt(12) + 8;
        for (int i = binStart; i < binStart + 20; i++) {
            all[i] = 0x55;
        }
        Path p = dir.resolve("bad.glb");
        Files.write(p, all);
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> Splats.open(p).close());
        assertEquals(true, e.where() != null && e.where().contains("SPZ payload"), e::toString);
        try (SplatReader ignored = Splats.open(fixture())) {
            // the good file still opens: nothing global was left behind
        }
    }
}
