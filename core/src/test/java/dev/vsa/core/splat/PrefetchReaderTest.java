package dev.vsa.core.splat;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.testing.SyntheticSplats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrefetchReaderTest {

    /** A source of a few rows costs batches of its size, not of the default (MBs with SH: a humongous array). */
    @Test
    void capacityFor_fewRows_theirCount() {
        assertEquals(64, SplatBatch.capacityFor(64));
        assertEquals(1, SplatBatch.capacityFor(0));
        assertEquals(SplatBatch.DEFAULT_CAPACITY, SplatBatch.capacityFor(-1));
        assertEquals(SplatBatch.DEFAULT_CAPACITY, SplatBatch.capacityFor(1L << 40));
    }

    /** A small file read ahead in batches of its size into a caller's default batch: every row, in order. */
    @Test
    void read_smallFileIntoDefaultBatch_sameRowsInOrder(@TempDir Path dir) throws IOException {
        SplatLayout layout = SyntheticSplats.layout(0);
        Path file = SyntheticSplats.write(dir.resolve("a.splat"), SplatFormat.SPLAT, layout, 64, 5);
        float[] direct = readAll(Splats.open(file), 64, false, SplatBatch.DEFAULT_CAPACITY);
        float[] ahead = readAll(Splats.open(file), 64, true, SplatBatch.DEFAULT_CAPACITY);
        assertArrayEquals(direct, ahead);
    }

    /** Every row, in order, also into batches smaller than the ones read ahead. */
    @Test
    void read_smallerBatches_sameRowsInOrder(@TempDir Path dir) throws IOException {
        SplatLayout layout = SyntheticSplats.layout(2);
        Path file = SyntheticSplats.write(dir.resolve("a.ply"), SplatFormat.PLY, layout, 40_000, 3);
        float[] direct = readAll(Splats.open(file), 40_000, false);
        float[] ahead = readAll(Splats.open(file), 40_000, true);
        assertArrayEquals(direct, ahead);
    }

    /** Batches of the read-ahead capacity get the rows by an exchange of arrays, not a copy; same rows in order. */
    @Test
    void read_batchesOfTheSameCapacity_handedOverNotCopied(@TempDir Path dir) throws IOException {
        SplatLayout layout = SyntheticSplats.layout(1);
        int count = 3 * SplatBatch.DEFAULT_CAPACITY + 123;
        Path file = SyntheticSplats.write(dir.resolve("a.ply"), SplatFormat.PLY, layout, count, 4);
        float[] direct = readAll(Splats.open(file), count, false, SplatBatch.DEFAULT_CAPACITY);
        float[] ahead = readAll(Splats.open(file), count, true, SplatBatch.DEFAULT_CAPACITY);
        assertArrayEquals(direct, ahead);
        try (SplatReader r = Splats.open(file); SplatReader in = new PrefetchReader(r)) {
            SplatBatch b = new SplatBatch(layout, SplatBatch.DEFAULT_CAPACITY);
            float[] before = b.array();
            assertEquals(SplatBatch.DEFAULT_CAPACITY, in.read(b));
            assertTrue(before != b.array(), "the rows were copied into the caller's array");
            assertEquals(SplatBatch.DEFAULT_CAPACITY, b.size());
        }
    }

    private static float[] readAll(SplatReader r, int count, boolean prefetch) throws IOException {
        return readAll(r, count, prefetch, 1000);
    }

    private static float[] readAll(SplatReader r, int count, boolean prefetch, int capacity) throws IOException {
        try (r; SplatReader in = prefetch ? new PrefetchReader(r) : r) {
            SplatBatch b = new SplatBatch(in.info().layout(), capacity);
            float[] all = new float[count * b.stride()];
            int rows = 0;
            int n;
            while ((n = in.read(b)) > 0) {
                System.arraycopy(b.array(), 0, all, rows * b.stride(), n * b.stride());
                rows += n;
            }
            assertEquals(count, rows);
            assertEquals(0, in.read(b), "stays at the end");
            return all;
        }
    }

    /** A failure of the wrapped reader reaches the caller as the same exception, after the rows before it. */
    @Test
    void read_wrappedReaderFails_sameExceptionAfterEarlierRows() throws IOException {
        MalformedInputException bad = new MalformedInputException(ErrorCode.PLY_TRUNCATED, "row 7", "ends early");
        SplatLayout layout = SyntheticSplats.layout(0);
        SplatReader failing = new SplatReader() {
            private int calls;

            @Override
            public SplatFileInfo info() {
                return new SplatFileInfo(SplatFormat.PLY, 0, "binary_little_endian", 100, layout, 1000);
            }

            @Override
            public int read(SplatBatch batch) {
                if (calls++ == 0) {
                    Arrays.fill(batch.array(), 0, 7 * batch.stride(), 1f);
                    batch.setSize(7);
                    return 7;
                }
                throw bad;
            }

            @Override
            public void close() {
            }
        };
        try (PrefetchReader in = new PrefetchReader(failing)) {
            SplatBatch b = new SplatBatch(layout, 100);
            assertEquals(7, in.read(b));
            assertSame(bad, assertThrows(MalformedInputException.class, () -> in.read(b)));
        }
    }

    /** Closing before the end stops the read-ahead thread and leaves the wrapped reader to its owner. */
    @Test
    void close_beforeEnd_stopsThreadLeavesWrappedOpen(@TempDir Path dir) throws Exception {
        Path file = SyntheticSplats.write(dir.resolve("b.ply"), SplatFormat.PLY, SyntheticSplats.layout(0), 100_000, 4);
        try (SplatReader r = Splats.open(file)) {
            PrefetchReader in = new PrefetchReader(r);
            SplatBatch b = new SplatBatch(in.info().layout(), 500);
            assertEquals(500, in.read(b));
            in.close();
            assertFalse(Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().equals("vsa-read-ahead") && t.isAlive()), "the thread ended");
            assertThrows(IllegalStateException.class, () -> in.read(b));
            assertTrue(r.read(new SplatBatch(r.info().layout(), 10)) > 0, "the wrapped reader is still open");
        }
    }
}
