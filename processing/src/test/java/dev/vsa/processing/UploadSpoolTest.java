package dev.vsa.processing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UploadSpoolTest {
    @TempDir
    Path dir;
    private final UploadSpool.Watcher watcher = new UploadSpool.Watcher(Duration.ofMinutes(10), 0);

    @Test
    void durableSpool_keepsWhatIsWrittenWhileFlushing_andCloseDeletesTheRest() throws Exception {
        Path d = Files.createDirectory(dir.resolve("request"));
        byte[] block = new byte[1 << 20];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i * 31);
        }
        long blocks = UploadSpool.BYTES_PER_SYNC / block.length * 2 + 3; // crosses the write-behind step twice
        try (UploadSpool spool = new UploadSpool(d, true, watcher, () -> { })) {
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
        try (UploadSpool spool = new UploadSpool(d, false, watcher, () -> { })) {
            Files.write(spool.dir().resolve("a"), new byte[10]);
            spool.sync();
            assertTrue(Files.exists(spool.dir().resolve("a")));
        }
        assertFalse(Files.exists(d));
    }

    @Test
    void watcher_oneForManySpools_andEachCloseGivesBackItsSlot() throws Exception {
        AtomicInteger open = new AtomicInteger();
        List<UploadSpool> spools = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            open.incrementAndGet();
            spools.add(new UploadSpool(Files.createDirectory(dir.resolve("s" + i)), true, watcher, open::decrementAndGet));
        }
        assertEquals(50, watcher.watching());
        assertEquals(1, watcher.threadsStarted(), "one watcher thread, not one per upload");
        spools.get(0).sync();
        assertEquals(49, watcher.watching(), "a spool whose body is in is no longer timed");
        spools.forEach(UploadSpool::close);
        spools.get(1).close(); // twice is harmless
        assertEquals(0, open.get());
        assertEquals(0, watcher.watching());
    }

    @Test
    void watcher_idleUpload_stalledAndItsReaderInterrupted() throws Exception {
        UploadSpool.Watcher strict = new UploadSpool.Watcher(Duration.ofSeconds(1), 0);
        try (UploadSpool spool = new UploadSpool(Files.createDirectory(dir.resolve("idle")), false, strict, () -> { })) {
            // The opener (this thread) waits as a request waits for body bytes that never come.
            boolean interrupted = false;
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted = true;
            }
            assertTrue(interrupted, "the reader is woken");
            assertTrue(spool.stalled());
        }
    }

    @Test
    void watcher_uploadBelowTheMinimumRate_stalled() throws Exception {
        UploadSpool.Watcher strict = new UploadSpool.Watcher(Duration.ofSeconds(1), 1 << 20);
        try (UploadSpool spool = new UploadSpool(Files.createDirectory(dir.resolve("slow")), false, strict, () -> { })) {
            Path part = spool.dir().resolve("part");
            boolean interrupted = false;
            try (OutputStream out = Files.newOutputStream(part)) {
                for (int i = 0; i < 600 && !interrupted; i++) { // a byte every 100 ms: never idle, far too slow
                    out.write(1);
                    out.flush();
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            assertTrue(interrupted, "the reader is woken");
            assertTrue(spool.stalled());
        }
    }
}
