package dev.vsa.core.format.spz;

import dev.vsa.core.format.util.SpillBuffer;
import io.airlift.compress.zstd.ZstdInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ColumnCompressorTest {

    /** Both zstd paths (zstd-jni when present, pure-Java aircompressor otherwise) make frames any reader decodes. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void zstd_nativeOrPureJava_roundTrips(boolean nativeZstd) throws Exception {
        if (nativeZstd) {
            assertTrue(NativeZstd.AVAILABLE, "zstd-jni is on core's test class path and loads on this platform");
        }
        byte[] data = new byte[3 << 20];
        Random random = new Random(7);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (random.nextGaussian() * 12); // quantized-SH-like: compressible but not trivially
        }
        try (SpillBuffer spill = new SpillBuffer(64 << 20, null)) {
            ColumnCompressor c = new ColumnCompressor(true, spill, nativeZstd);
            c.write(data, 0, 1 << 20);
            c.write(data, 1 << 20, data.length - (1 << 20));
            c.finish();
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            spill.transferTo(Channels.newChannel(compressed));
            assertTrue(compressed.size() < data.length, "compressed " + compressed.size());
            byte[] back = new ZstdInputStream(new ByteArrayInputStream(compressed.toByteArray())).readAllBytes();
            assertArrayEquals(data, back);
        }
    }

    /** Quantized noise (as the SH of random splats): level 1 makes the smaller frame, so it is the one chosen. */
    @org.junit.jupiter.api.Test
    void zstd_noisyColumn_fastLevelSmallerThanLevel5() throws Exception {
        byte[] data = new byte[4 << 20];
        Random random = new Random(11);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (random.nextInt(16) * 16 + 8); // 4-bit buckets, as SPZ stores SH degrees 2 and 3
        }
        byte[] frame = compress(data, 64 << 10);
        assertArrayEquals(data, new ZstdInputStream(new ByteArrayInputStream(frame)).readAllBytes());
        int level5 = ZstdJni.compress(data, 0, data.length, NativeZstd.LEVEL).length;
        assertTrue(frame.length < level5, frame.length + " bytes, level 5 makes " + level5);
    }

    /** A column within the sample is one frame at the smallest of the levels tried, level 12 (the reference's) included. */
    @org.junit.jupiter.api.Test
    void zstd_smallColumn_noLargerThanReferenceLevel() throws Exception {
        byte[] data = new byte[200_000];
        Random random = new Random(5);
        int v = 0;
        for (int i = 0; i < data.length; i++) {
            v += random.nextInt(7) - 3; // a random walk: structured, as sorted positions are
            data[i] = (byte) v;
        }
        byte[] frame = compress(data, 30_000);
        assertArrayEquals(data, new ZstdInputStream(new ByteArrayInputStream(frame)).readAllBytes());
        assertEquals(data.length, com.github.luben.zstd.Zstd.getFrameContentSize(frame), "the frame records its size");
        for (int level : new int[] {1, 5, 12}) {
            int n = ZstdJni.compress(data, 0, data.length, level).length;
            assertTrue(frame.length <= n, frame.length + " bytes, level " + level + " makes " + n);
        }
    }

    private static byte[] compress(byte[] data, int piece) throws Exception {
        try (SpillBuffer spill = new SpillBuffer(64 << 20, null)) {
            ColumnCompressor c = new ColumnCompressor(true, spill, true);
            for (int off = 0; off < data.length; off += piece) {
                c.write(data, off, Math.min(piece, data.length - off));
            }
            c.finish();
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            spill.transferTo(Channels.newChannel(compressed));
            return compressed.toByteArray();
        }
    }
}
