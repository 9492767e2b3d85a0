package dev.vsa.core.format.sog;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.Fixtures;
import dev.vsa.core.lod.LodSets;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.testing.SyntheticSplats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10 part 4 for SOG and LOD sets: the work a file declares is bounded by what its bytes can hold, before
 * anything is decoded. Each hostile file is a few KB made here.
 */
class SogLimitsTest {
    /** Texels on a side of the hostile images: 1M texels a image, 4 MiB decoded each, a few hundred bytes packed. */
    private static final int SIDE = 1024;

    @TempDir
    Path dir;

    /** A good SH1 bundle's entries whose meta.json declares {@code SIDE * SIDE} splats in constant images. */
    private Map<String, byte[]> constantImages() throws IOException {
        Path sog = SyntheticSplats.write(dir.resolve("good.sog"), SplatFormat.SOG, SyntheticSplats.layout(1), 500, 1);
        Map<String, byte[]> e = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(sog.toFile())) {
            for (ZipEntry x : java.util.Collections.list(z.entries())) {
                e.put(x.getName(), z.getInputStream(x).readAllBytes());
            }
        }
        byte[] flat = Webp.encodeLossless(new byte[SIDE * SIDE * 4], SIDE, SIDE);
        for (String name : List.of("means_l.webp", "means_u.webp", "quats.webp", "scales.webp", "sh0.webp",
                "shN_labels.webp")) {
            e.put(name, flat);
        }
        String meta = new String(e.get("meta.json"), StandardCharsets.UTF_8);
        assertTrue(meta.contains("\"count\":500"), meta);
        e.put("meta.json", meta.replace("\"count\":500", "\"count\":" + SIDE * SIDE).getBytes(StandardCharsets.UTF_8));
        return e;
    }

    private Path bundle(Map<String, byte[]> entries) throws IOException {
        Path p = dir.resolve("dense.sog");
        try (OutputStream o = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(o)) {
            z.setMethod(ZipEntry.STORED);
            for (Map.Entry<String, byte[]> x : entries.entrySet()) {
                ZipEntry ze = new ZipEntry(x.getKey());
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(x.getValue());
                ze.setSize(x.getValue().length);
                ze.setCrc(crc.getValue());
                z.putNextEntry(ze);
                z.write(x.getValue());
                z.closeEntry();
            }
        }
        return p;
    }

    private Path unbundled(Map<String, byte[]> entries) throws IOException {
        Path d = Files.createDirectories(dir.resolve("dense"));
        for (Map.Entry<String, byte[]> x : entries.entrySet()) {
            Files.write(d.resolve(x.getKey()), x.getValue());
        }
        return d.resolve("meta.json");
    }

    private static void assertRefused(ErrorCode code, Path p) {
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> Splats.open(p).close());
        assertEquals(code, e.code(), e::getMessage);
        assertTrue(!e.getMessage().contains("\n"), e::getMessage);
        MalformedInputException d = assertThrows(MalformedInputException.class, () -> Splats.declared(p));
        assertEquals(code, d.code(), d::getMessage);
    }

    @Test
    void open_bundleOfConstantImagesDeclaringMillions_limitExceeded() throws Exception {
        Path p = bundle(constantImages());
        assertTrue(Files.size(p) < 64 * 1024, "a small file: " + Files.size(p));
        assertRefused(ErrorCode.LIMIT_EXCEEDED, p);
    }

    @Test
    void open_unbundledConstantImagesDeclaringMillions_limitExceeded() throws Exception {
        assertRefused(ErrorCode.LIMIT_EXCEEDED, unbundled(constantImages()));
    }

    @Test
    void declared_realSog_countAndAllInputBytesWithoutDecoding() throws Exception {
        Path meta = Fixtures.splat("sog/st-2k-sh1/meta.json");
        long all;
        try (Stream<Path> s = Files.list(meta.getParent())) {
            all = s.mapToLong(f -> f.toFile().length()).sum();
        }
        var info = Splats.declared(meta);
        try (SplatReader r = Splats.open(meta)) {
            assertEquals(r.info().count(), info.count());
            assertEquals(r.info().layout(), info.layout());
        }
        assertEquals(all, info.fileSize(), "meta.json and every image");
    }

    /** A copy of splat-transform's two-level set whose tree takes {@code rows} rows from its first unit. */
    private Path lodSet(long rows) throws IOException {
        Path from = Fixtures.splat("lod/st-2lv-sh1");
        Path to = dir.resolve("set");
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        Path meta = to.resolve("lod-meta.json");
        String json = Files.readString(meta);
        String first = "\"0\":{\"file\":0,\"offset\":0,\"count\":192}";
        assertTrue(json.contains(first), "the fixture's first leaf");
        json = json.replace(first, "\"0\":{\"file\":0,\"offset\":0,\"count\":" + rows + "}")
                .replace("\"count\":3800,\"counts\":[3000,800],", "");
        Files.writeString(meta, json);
        return meta;
    }

    @Test
    void open_lodTreeTakingMoreRowsThanItsUnitHolds_refusedAtOpen() throws Exception {
        Path meta = lodSet(100_000_000L);
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> LodSets.open(meta, List.of(0)).close());
        assertEquals(ErrorCode.SOG_BAD_META, e.code(), e::getMessage);
        assertTrue(e.getMessage().contains("holds 2058"), e::getMessage);
        assertThrows(MalformedInputException.class, () -> Splats.declared(meta));
    }

    @Test
    void open_lodSetAsGiven_reads() throws Exception {
        try (SplatReader r = LodSets.open(lodSet(192), List.of())) {
            assertEquals(3800, r.info().count());
        }
    }

    /**
     * Issue 10 part 5 for LOD sets: 6 MB of empty tree nodes (2M objects) in lod-meta.json, read in a JVM of 64 MiB,
     * is refused with a code within the JSON budget; read whole into a tree it ran out of memory.
     */
    @Test
    void open_lodMetaOfMillionsOfEmptyNodes_limitExceededUnderSmallHeap() throws Exception {
        Path f = Files.createDirectories(dir.resolve("lod-meta")).resolve("nodes.json");
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(f), 1 << 16)) {
            out.write("{\"lodLevels\":1,\"filenames\":[],\"tree\":{\"children\":[{}".getBytes(StandardCharsets.US_ASCII));
            byte[] more = ",{}".repeat(1024).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 2048; i++) {
                out.write(more);
            }
            out.write("]}}".getBytes(StandardCharsets.US_ASCII));
        }
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                dev.vsa.core.gltf.resource.SmallHeapTest.classPath(), ProbeLodMeta.class.getName(), f.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), out);
        assertEquals("LIMIT_EXCEEDED", out.strip(), out);
    }

    /** Opens the LOD set named by {@code args[0]} and prints the error code it is refused with (or "read"). */
    public static final class ProbeLodMeta {
        public static void main(String[] args) {
            try {
                LodSets.describe(Path.of(args[0]));
                System.out.println("read");
            } catch (MalformedInputException e) {
                System.out.println(e.code());
            } catch (Throwable t) {
                System.out.println(t);
            }
        }
    }

    /** An unbundled SOG is a folder of files: like a LOD set's, its folder is made (it was "no such folder"). */
    @Test
    void convert_unbundledSogIntoMissingFolder_folderMade() throws Exception {
        Path ply = SyntheticSplats.write(dir.resolve("in.ply"), SplatFormat.PLY, SyntheticSplats.layout(0), 50, 3);
        Path meta = dir.resolve("out/new/meta.json");
        Splats.convert(ply, meta, new dev.vsa.core.splat.ConvertOptions(SplatFormat.SOG,
                dev.vsa.core.splat.WriteOptions.DEFAULTS, List.of()), null);
        try (SplatReader r = Splats.open(meta)) {
            assertEquals(50, r.info().count());
        }
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Splats.convert(ply, dir.resolve("none/x.sog"),
                new dev.vsa.core.splat.ConvertOptions(SplatFormat.SOG, dev.vsa.core.splat.WriteOptions.DEFAULTS,
                        List.of()), null), "a single file's missing folder is still refused");
    }
}
