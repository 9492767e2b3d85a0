package dev.vsa.core.format.sog;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.testing.SyntheticSplats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-made bad SOG files: each error path answers with its code and one line, before it allocates. */
class SogBadFilesTest {
    @TempDir
    Path dir;

    private Map<String, byte[]> good() throws IOException {
        Path sog = SyntheticSplats.write(dir.resolve("good.sog"), SplatFormat.SOG, SyntheticSplats.layout(1), 500, 1);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(sog.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                entries.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        }
        return entries;
    }

    /** The entries as a bundle, deflated (ZipOutputStream's default). */
    private Path zip(Map<String, byte[]> entries) throws IOException {
        Path p = dir.resolve("bad.sog");
        try (OutputStream o = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(o)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return p;
    }

    private ErrorCode code(Path p) {
        return assertThrows(MalformedInputException.class, () -> Splats.open(p).close()).code();
    }

    private static String meta(Map<String, byte[]> e) {
        return new String(e.get("meta.json"), StandardCharsets.UTF_8);
    }

    /** A good bundle whose meta.json has {@code from} replaced by {@code to}: the error it gets. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badMeta")
    void open_metaEdited_code(String what, String from, String to, ErrorCode expected) throws Exception {
        Map<String, byte[]> e = good();
        assertTrue(meta(e).contains(from), from);
        e.put("meta.json", meta(e).replace(from, to).getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, code(zip(e)));
    }

    static Stream<Arguments> badMeta() {
        return Stream.of(
                Arguments.of("count larger than the images", "\"count\":500", "\"count\":5000", ErrorCode.SOG_BAD_IMAGE),
                Arguments.of("unknown version", "\"version\":2", "\"version\":7", ErrorCode.SOG_BAD_META),
                Arguments.of("path in a file name", "\"quats.webp\"", "\"../quats.webp\"", ErrorCode.SOG_BAD_META),
                // without 'version' a meta.json is read as version 1, whose count is means.shape[0]
                Arguments.of("version 1 without shape", "\"version\":2,", "", ErrorCode.SOG_BAD_META),
                Arguments.of("version 3", "\"version\":2,", "\"version\":3,", ErrorCode.SOG_BAD_META));
    }

    @Test
    void open_deflatedGoodBundle_reads() throws Exception {
        try (var r = Splats.open(zip(good()))) {
            assertEquals(500, r.info().count());
        }
    }

    @Test
    void open_tooManyEntries_badArchive() throws Exception {
        Map<String, byte[]> e = good();
        for (int i = 0; i < SogFiles.MAX_ENTRIES; i++) {
            e.put("x" + i, new byte[1]);
        }
        assertEquals(ErrorCode.SOG_BAD_ARCHIVE, code(zip(e)));
    }

    @Test
    void open_zipBomb_refusedBeforeInflating() throws Exception {
        Map<String, byte[]> e = good();
        e.put("means_l.webp", new byte[64 << 20]); // 64 MiB of zeros deflates ~1000:1
        assertEquals(ErrorCode.SOG_BAD_ARCHIVE, code(zip(e)));
    }

    @Test
    void open_missingImage_badImage() throws Exception {
        Map<String, byte[]> e = good();
        e.remove("quats.webp");
        assertEquals(ErrorCode.SOG_BAD_IMAGE, code(zip(e)));
    }

    @Test
    void open_imageNotWebp_badImage() throws Exception {
        Map<String, byte[]> e = good();
        e.put("scales.webp", "not an image at all, just some text here".getBytes(StandardCharsets.UTF_8));
        assertEquals(ErrorCode.SOG_BAD_IMAGE, code(zip(e)));
    }

    @Test
    void open_imagesFarLargerThanCount_badImage() throws Exception {
        Map<String, byte[]> e = good();
        e.put("meta.json", meta(e).replace("\"count\":500", "\"count\":1").getBytes(StandardCharsets.UTF_8));
        // 1 splat allows 2 + 65536 texels; the 24x24 images are within that, so shrink the allowance by a huge image
        byte[] webp = Webp.encodeLossless(new byte[300 * 300 * 4], 300, 300);
        e.put("means_l.webp", webp);
        assertEquals(ErrorCode.SOG_BAD_IMAGE, code(zip(e)));
    }

    @Test
    void open_shortCodebook_badMeta() throws Exception {
        Map<String, byte[]> e = good();
        String m = meta(e);
        int at = m.indexOf("\"codebook\":[") + "\"codebook\":[".length();
        int comma = m.indexOf(',', at);
        e.put("meta.json", (m.substring(0, at) + m.substring(comma + 1)).getBytes(StandardCharsets.UTF_8));
        assertEquals(ErrorCode.SOG_BAD_META, code(zip(e)));
    }

    @Test
    void open_truncatedZip_badArchive() throws Exception {
        Path p = zip(good());
        byte[] all = Files.readAllBytes(p);
        Files.write(p, java.util.Arrays.copyOf(all, all.length / 2));
        ErrorCode c = code(p);
        assertTrue(c == ErrorCode.SOG_BAD_ARCHIVE || c == ErrorCode.UNKNOWN_FORMAT, c::toString);
    }

    @Test
    void open_twoBadImages_reportsTheFirstInFileOrder() throws Exception {
        // the images decode in parallel; the error is the one a sequential reader meets first
        Map<String, byte[]> e = good();
        e.put("shN_labels.webp", "not an image at all, just some text here".getBytes(StandardCharsets.UTF_8));
        e.put("means_u.webp", "not an image either, just some other text".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 5; i++) {
            MalformedInputException x = assertThrows(MalformedInputException.class, () -> Splats.open(zip(e)).close());
            assertEquals(ErrorCode.SOG_BAD_IMAGE, x.code());
            assertTrue(x.getMessage().contains("means_u.webp") || "means_u.webp".equals(x.where()), x::getMessage);
        }
    }

    @Test
    void open_truncatedWebp_badImage() throws Exception {
        Map<String, byte[]> e = good();
        byte[] q = e.get("quats.webp");
        e.put("quats.webp", java.util.Arrays.copyOf(q, q.length / 2));
        MalformedInputException x = assertThrows(MalformedInputException.class, () -> Splats.open(zip(e)).close());
        assertEquals(ErrorCode.SOG_BAD_IMAGE, x.code());
        assertTrue(!x.getMessage().contains("\n"), x::getMessage);
    }
    /** A byte changed inside a stored image: its pixels may still decode, so the entry's CRC-32 is what tells. */
    @Test
    void open_imageByteChangedInBundle_badArchive() throws Exception {
        Path sog = SyntheticSplats.write(dir.resolve("flip.sog"), SplatFormat.SOG, SyntheticSplats.layout(1), 500, 1);
        byte[] image;
        try (ZipFile z = new ZipFile(sog.toFile())) {
            ZipEntry q = z.getEntry("quats.webp");
            assertEquals(ZipEntry.STORED, q.getMethod());
            image = z.getInputStream(q).readAllBytes();
        }
        byte[] all = Files.readAllBytes(sog);
        int at = java.util.Collections.indexOfSubList(java.util.Arrays.asList(box(all)), java.util.Arrays.asList(box(image)));
        assertTrue(at > 0);
        all[at + image.length - 2] ^= 0x10; // in the last pixels' bits
        Files.write(sog, all);
        MalformedInputException x = assertThrows(MalformedInputException.class, () -> Splats.open(sog).close());
        assertEquals(ErrorCode.SOG_BAD_ARCHIVE, x.code());
        assertTrue(x.getMessage().contains("CRC"), x::getMessage);
    }

    private static Byte[] box(byte[] b) {
        Byte[] o = new Byte[b.length];
        for (int i = 0; i < b.length; i++) {
            o[i] = b[i];
        }
        return o;
    }

    /**
     * An unbundled SOG's image is decoded from exactly the bytes read: its length was asked of the folder again after
     * the read, so a file that grew meanwhile was decoded past what was read, into stale bytes a reused array held
     * from an earlier image. Here the quats file is half its image when read and whole when asked again, and the
     * array holds the whole image already: it decoded; now the half read is refused.
     */
    @Test
    void open_unbundledImageChangedAfterRead_decodesTheBytesRead() throws Exception {
        Map<String, byte[]> e = good();
        Path folder = Files.createDirectories(dir.resolve("unbundled"));
        for (Map.Entry<String, byte[]> f : e.entrySet()) {
            Files.write(folder.resolve(f.getKey()), f.getValue());
        }
        String name = SogMeta.parse(e.get("meta.json")).quatsFile();
        byte[] whole = e.get(name);
        Files.write(folder.resolve(name), java.util.Arrays.copyOf(whole, whole.length / 2));
        SogFiles real = SogFiles.open(folder.resolve("meta.json"));
        SogFiles changing = new SogFiles() {
            @Override
            String metaName() {
                return real.metaName();
            }

            @Override
            Read read(String n, long limit, byte[] spare) throws IOException {
                if (n.equals(name) && spare != null && spare.length >= whole.length) {
                    System.arraycopy(whole, 0, spare, 0, whole.length); // what an earlier read left there
                }
                return real.read(n, limit, spare);
            }

            @Override
            long size() {
                return real.size();
            }

            @Override
            long length(String n) throws IOException {
                return n.equals(name) ? whole.length : real.length(n);
            }

            @Override
            byte[] head(String n, int size) throws IOException {
                return real.head(n, size);
            }

            @Override
            public void close() throws IOException {
                real.close();
            }
        };
        try (changing) {
            MalformedInputException x = assertThrows(MalformedInputException.class, () -> SogReader.open(changing, null).close());
            assertEquals(ErrorCode.SOG_BAD_IMAGE, x.code(), x::toString);
        }
    }
}
