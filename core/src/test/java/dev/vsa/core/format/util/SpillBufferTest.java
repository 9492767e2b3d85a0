package dev.vsa.core.format.util;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SpillBufferTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {0, 1000, 3 << 20, 100 << 20})
    void write_thenReadAndTransfer_sameBytes(int memoryLimit) throws IOException {
        byte[] data = new byte[(5 << 20) + 123];
        new SplittableRandom(1).nextBytes(data);
        try (SpillBuffer b = new SpillBuffer(memoryLimit, dir)) {
            for (int off = 0; off < data.length; off += 70_001) {
                b.write(data, off, Math.min(70_001, data.length - off));
            }
            assertEquals(data.length, b.size());
            assertEquals(memoryLimit < data.length, b.spilled());
            byte[] part = new byte[5000];
            b.read((1 << 20) - 17, part, 0, part.length);
            assertArrayEquals(Arrays.copyOfRange(data, (1 << 20) - 17, (1 << 20) - 17 + 5000), part);
            Path out = dir.resolve("out.bin");
            try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                b.transferTo(ch);
            }
            assertArrayEquals(data, Files.readAllBytes(out));
            Files.delete(out);
        }
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "the spill file is deleted on close");
        }
    }
}
