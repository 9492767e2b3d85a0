package dev.vsa.core.format.sog;

import com.luciad.imageio.webp.WebPWriteParam;
import dev.vsa.core.error.MalformedInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.imageio.IIOImage;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java VP8L decoder against libwebp's (the reference): the same pixels for the committed WebP images (from
 * splat-transform and PlayCanvas) and for images libwebp encodes here at every method and several efforts, which
 * between them use every transform, colour caches, back references, meta prefix codes and pixel bundling.
 */
class Vp8lTest {
    static Stream<Path> committedImages() throws Exception {
        Path root = Path.of(Vp8lTest.class.getResource("/splats").toURI());
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".webp")).toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("committedImages")
    void decode_committedImage_sameAsLibwebp(Path file) throws IOException {
        assertSame(Files.readAllBytes(file), file.getFileName().toString());
    }

    @Test
    void decode_imagesInBundledSog_sameAsLibwebp() throws Exception {
        Path sog = Path.of(Vp8lTest.class.getResource("/splats/sog/st-2k-sh3.sog").toURI());
        int n = 0;
        try (ZipFile zip = new ZipFile(sog.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (e.getName().endsWith(".webp")) {
                    try (InputStream in = zip.getInputStream(e)) {
                        assertSame(in.readAllBytes(), e.getName());
                    }
                    n++;
                }
            }
        }
        assertTrue(n >= 6, "images: " + n);
    }

    /** Kinds of content that lead libwebp to its different tools. */
    static int[] pixels(int kind, int w, int h, Random rnd) {
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                px[i] = switch (kind) {
                    case 0 -> rnd.nextInt(); // noise: literals
                    case 1 -> 0xFF000000 | (x * 3 & 0xFF) << 16 | (y * 5 & 0xFF) << 8 | ((x + y) & 0xFF); // gradients
                    case 2 -> new int[] {0xFF112233, 0x80FFEEDD, 0x00000000}[(x / 3 + y / 2) % 3]; // 3 colours: bundled
                    case 3 -> 0xFF000000 | rnd.nextInt(12) * 0x151515; // up to 16 colours
                    case 4 -> (x / 7 + y / 5) % 2 == 0 ? 0xFF808080 | rnd.nextInt(4) : px[Math.max(0, i - w)]; // repeats
                    case 5 -> { // smooth with noise, alpha as data
                        int v = (int) (128 + 100 * Math.sin(x * 0.05) * Math.cos(y * 0.07));
                        yield (rnd.nextInt(256)) << 24 | v << 16 | (v + rnd.nextInt(3) & 0xFF) << 8 | (255 - v);
                    }
                    default -> 0xFF000000 | (rnd.nextInt(300) < 1 ? rnd.nextInt() : x * y); // structured
                };
            }
        }
        return px;
    }

    @Test
    void decode_libwebpEncodings_sameAsLibwebp() throws IOException {
        Random rnd = new Random(13);
        int[][] sizes = {{1, 1}, {2, 1}, {5, 3}, {67, 33}, {160, 90}};
        float[][] settings = {{0, 0f}, {2, 0.5f}, {4, 0.5f}, {6, 0.2f}}; // method, effort (higher ones take seconds)
        for (int kind = 0; kind <= 6; kind++) {
            for (int[] s : sizes) {
                for (float[] setting : settings) {
                    int method = (int) setting[0];
                    float effort = setting[1];
                    {
                        int[] px = pixels(kind, s[0], s[1], rnd);
                        byte[] webp = encode(px, s[0], s[1], method, effort);
                        String what = "kind " + kind + " " + s[0] + "x" + s[1] + " method " + method + " effort " + effort;
                        int[] ours = assertSame(webp, what);
                        for (int i = 0; i < px.length; i++) {
                            if (ours[i] != px[i]) {
                                throw new AssertionError(what + ": pixel " + i + " is " + Integer.toHexString(ours[i])
                                        + ", encoded " + Integer.toHexString(px[i]));
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * SOG-like data (noise in some channels, a constant or a skewed one in others, a few smooth blocks): libwebp codes
     * it as literals with flat 8-bit codes, or several lengths, or per-block groups, which the decoder takes in runs of
     * their own (rows of several runs here, and rows whose runs straddle no group).
     */
    @Test
    void decode_literalImagesOfSeveralKinds_sameAsLibwebp() throws IOException {
        Random rnd = new Random(29);
        int[][] sizes = {{300, 40}, {1000, 3}, {97, 61}};
        for (int kind = 0; kind < 4; kind++) {
            for (int[] s : sizes) {
                int[] px = new int[s[0] * s[1]];
                for (int i = 0; i < px.length; i++) {
                    int noise = rnd.nextInt();
                    px[i] = switch (kind) {
                        case 0 -> 0xFF000000 | noise & 0xFFFFFF; // flat codes, alpha one symbol (means, scales)
                        case 1 -> (200 + (int) Math.abs(rnd.nextGaussian() * 20) & 0xFF) << 24 | noise & 0xFFFFFF; // sh0
                        case 2 -> 0xFF000000 | noise & 0xFFFF; // labels: two channels
                        default -> (i / s[0]) % 8 < 4 ? noise : 0xFF000000 | (i % s[0]) * 0x010101; // groups
                    };
                }
                for (int method : new int[] {2, 4}) {
                    String what = "kind " + kind + " " + s[0] + "x" + s[1] + " method " + method;
                    assertArrayEquals(px, assertSame(encode(px, s[0], s[1], method, 0.5f), what), what);
                }
            }
        }
    }

    @Test
    void decode_truncatedOrCorrupt_badImageNotACrash() throws IOException {
        Random rnd = new Random(7);
        byte[] webp = encode(pixels(5, 90, 70, rnd), 90, 70, 4, 0.9f);
        Webp.Size size = Webp.size(webp, "t");
        for (int cut = 21; cut < webp.length; cut += 7) {
            byte[] part = java.util.Arrays.copyOf(webp, cut);
            assertThrows(MalformedInputException.class, () -> Webp.decode(part, size, "t"), "cut at " + cut);
        }
        List<Throwable> unexpected = new ArrayList<>();
        for (int k = 0; k < 600; k++) {
            byte[] bad = webp.clone();
            for (int j = 0; j < 1 + k % 4; j++) {
                bad[21 + rnd.nextInt(bad.length - 21)] ^= (byte) (1 << rnd.nextInt(8));
            }
            try {
                Webp.decode(bad, size, "t");
            } catch (MalformedInputException e) {
                // expected for most
            } catch (RuntimeException e) {
                unexpected.add(e);
            }
        }
        assertTrue(unexpected.isEmpty(), () -> unexpected.get(0).toString());
    }

    private static int[] assertSame(byte[] webp, String what) {
        Webp.Size size = Webp.size(webp, what);
        int[] theirs = Webp.decodeWithLibrary(webp, size, what);
        int[] ours = Webp.decode(webp, size, what);
        assertArrayEquals(theirs, ours, what);
        return ours;
    }

    static byte[] encode(int[] argb, int w, int h, int method, float effort) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        System.arraycopy(argb, 0, ((DataBufferInt) img.getRaster().getDataBuffer()).getData(), 0, argb.length);
        ImageWriter writer = new com.luciad.imageio.webp.WebPImageWriterSpi().createWriterInstance();
        WebPWriteParam param = new WebPWriteParam(Locale.ROOT);
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        for (String type : param.getCompressionTypes()) {
            if (type.toLowerCase(Locale.ROOT).contains("lossless")) {
                param.setCompressionType(type);
            }
        }
        param.setCompressionQuality(effort);
        param.setMethod(method);
        param.setExact(true);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
