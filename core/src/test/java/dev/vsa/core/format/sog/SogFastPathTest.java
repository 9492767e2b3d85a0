package dev.vsa.core.format.sog;

import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.splat.ConvertOptions;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;
import dev.vsa.core.testing.SyntheticSplats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageReader;
import javax.imageio.stream.MemoryCacheImageInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The SOG reader's fast paths give exactly what the general ones give. */
class SogFastPathTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3})
    void read_throughTables_sameFloatsAsPerSplat(int degree) throws IOException {
        Path sog = SyntheticSplats.write(dir.resolve("a.sog"), SplatFormat.SOG, SyntheticSplats.layout(degree), 5000, 7);
        int[] direct = bits(sog, false);
        int[] tables = bits(sog, true);
        assertEquals(5000 * SyntheticSplats.layout(degree).stride(), direct.length);
        assertArrayEquals(direct, tables);
    }

    /** A conversion to PLY takes the rows straight into PLY's layout (PlyRows), on all cores: the same bytes. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3})
    void convertToPly_sameBytesAsThroughBatches(int degree) throws IOException {
        // 9000 rows: more than one of the writer's blocks, not a multiple of one
        Path sog = SyntheticSplats.write(dir.resolve("a.sog"), SplatFormat.SOG, SyntheticSplats.layout(degree), 9000, 5);
        Path direct = dir.resolve("direct.ply");
        Splats.convert(sog, direct, ConvertOptions.DEFAULTS, ProgressListener.NONE);
        Path batched = dir.resolve("batched.ply");
        try (SplatReader r = Splats.open(sog);
             SplatWriter w = Splats.create(batched, SplatFormat.PLY, r.info().layout(), WriteOptions.DEFAULTS)) {
            SplatBatch b = new SplatBatch(r.info().layout(), 999);
            while (r.read(b) > 0) {
                w.write(b);
            }
            w.finish();
        }
        assertEquals(-1, Files.mismatch(direct, batched));
    }

    /** Every row of the file as raw float bits, through one decoding path. */
    private static int[] bits(Path sog, boolean tables) throws IOException {
        try (SplatReader r = SogReader.open(sog, tables)) {
            int stride = r.info().layout().stride();
            int[] all = new int[(int) r.info().count() * stride];
            SplatBatch b = new SplatBatch(r.info().layout(), 999); // batches that do not divide the count
            int at = 0;
            int n;
            while ((n = r.read(b)) > 0) {
                for (int i = 0; i < n * stride; i++) {
                    all[at++] = Float.floatToRawIntBits(b.array()[i]);
                }
            }
            assertEquals(all.length, at);
            return all;
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void decode_sameArgbAsImageIoGetRgb(boolean alpha) throws IOException {
        int w = 37, h = 21;
        byte[] rgba = new byte[w * h * 4];
        new SplittableRandom(3).nextBytes(rgba);
        if (!alpha) {
            for (int i = 3; i < rgba.length; i += 4) {
                rgba[i] = (byte) 255; // an opaque image: the decoder gives no alpha channel
            }
        }
        byte[] webp = Webp.encodeLossless(rgba, w, h);
        int[] fast = Webp.decode(webp, Webp.size(webp, "t"), "t");
        ImageReader reader = new com.luciad.imageio.webp.WebPImageReaderSpi().createReaderInstance();
        reader.setInput(new MemoryCacheImageInputStream(new ByteArrayInputStream(webp)));
        BufferedImage img = reader.read(0);
        assertEquals(alpha, img.getColorModel().hasAlpha());
        assertArrayEquals(img.getRGB(0, 0, w, h, null, 0, w), fast);
    }

    @Test
    void bytesInput_readsLikeAStream() throws IOException {
        byte[] data = {1, 2, 3, 4, 5};
        try (Webp.BytesInput in = new Webp.BytesInput(data)) {
            assertEquals(5, in.length());
            assertEquals(1, in.read());
            byte[] b = new byte[10];
            assertEquals(4, in.read(b, 2, 8));
            assertEquals(5, b[5]);
            assertEquals(-1, in.read(b, 0, 1));
            assertEquals(-1, in.read());
            in.seek(1);
            assertEquals(2, in.read());
        }
    }
}
