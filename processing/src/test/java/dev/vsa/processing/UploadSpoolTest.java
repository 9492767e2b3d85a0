package dev.vsa.processing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UploadSpoolTest {
    @TempDir
    Path dir;

    @Test
    void durableSpool_keepsWhatIsWrittenWhileFlushing_andCloseDeletesTheRest() throws Exception {
        Path d = Files.createDirectory(dir.resolve("request"));
        byte[] block = new byte[1 << 20];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i * 31);
        }
        long blocks = UploadSpool.BYTES_PER_SYNC / block.length * 2 + 3; // crosses the write-behind step twice
        try (UploadSpool spool = new UploadSpool(d, true)) {
            assertEquals(d, spool.dir());
            Path part = spool.dir().resolve("MultiPart1234");
            try (OutputStream out = Files.newOutputStream(part)) {
                for (long i = 0; i < blocks; i++) {
                    out.write(block);
                    if (i == UploadSpool.BYTES_PER_SYNC / block.length) {
                        out.flush();
                        long deadline = System.nanoTime() + 10_000_000_000L;
                        while (spool.flushedAhead() == 0 && System.nanoTime() < deadline) {
                            Thread.sleep(5);
                        }
                        assertTrue(spool.flushedAhead() > 0, "flushed while the file was still being written");
                    }
                }
            }
            spool.sync();
            assertEquals(blocks * block.length, Files.size(part));
            byte[] tail = new byte[block.length];
            try (var in = Files.newInputStream(part)) {
                in.skipNBytes((blocks - 1) * block.length);
                assertEquals(block.length, in.readNBytes(tail, 0, tail.length));
            }
            assertArrayEquals(block, tail);
            spool.sync(); // twice is harmless
        }
        assertFalse(Files.exists(d), "close deletes the directory and what is left in it");
    }

    @Test
    void plainSpool_hasNoFlusher_andCloseDeletes() throws Exception {
        Path d = Files.createDirectory(dir.resolve("plain"));
        try (UploadSpool spool = new UploadSpool(d, false)) {
            Files.write(spool.dir().resolve("a"), new byte[10]);
            spool.sync();
            assertTrue(Files.exists(spool.dir().resolve("a")));
        }
        assertFalse(Files.exists(d));
    }
}
