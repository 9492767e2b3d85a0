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
}
