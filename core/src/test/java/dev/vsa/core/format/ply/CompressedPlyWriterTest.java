package dev.vsa.core.format.ply;

import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.splat.ConvertOptions;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.SplatWriter;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.testing.SyntheticSplats;
import dev.vsa.core.transform.Transform;
import dev.vsa.core.transform.Transforms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The writer's two homes for its rows (heap, spill file) and its Morton order against the sort transform's. */
class CompressedPlyWriterTest {
    private static final int COUNT = 1000 + 3 * 256 + 7; // several 64-row blocks, a partial block and chunk

    @TempDir
    Path dir;

    /** Synthetic rows with a few values every path must treat alike: NaN and infinite positions and scales. */
    private static SplatBatch rows(SplatLayout layout) {
        SplatBatch b = SyntheticSplats.generate(layout, COUNT, 11);
        b.set(3, SplatLayout.X, Float.NaN);
        b.set(300, SplatLayout.Y, Float.POSITIVE_INFINITY);
        b.set(301, SplatLayout.Z, Float.NEGATIVE_INFINITY);
        b.set(700, SplatLayout.SCALE_1, Float.NEGATIVE_INFINITY);
        b.set(701, SplatLayout.ROT_W, Float.NaN);
        b.set(702, SplatLayout.OPACITY, Float.NaN);
        return b;
    }

    /** Writes {@code rows} in batches of 100 (rows cross block ends mid-batch). */
    private static Path write(CompressedPlyWriter w, SplatBatch rows, Path file) throws IOException {
        try (w) {
            SplatBatch batch = new SplatBatch(rows.layout(), 100);
            int stride = rows.layout().stride();
            for (int r = 0; r < rows.size(); r += 100) {
                int n = Math.min(100, rows.size() - r);
                System.arraycopy(rows.array(), r * stride, batch.array(), 0, n * stride);
                batch.setSize(n);
                w.write(batch);
            }
            w.finish();
        }
        return file;
    }

    @ParameterizedTest
    @CsvSource({"0, true", "3, true", "0, false", "3, false"})
    void spillFile_givesTheBytesOfTheHeapPath(int degree, boolean mortonOrder) throws IOException {
        SplatLayout layout = SyntheticSplats.layout(degree);
        SplatBatch rows = rows(layout);
        Path heapFile = dir.resolve("heap.compressed.ply");
        Path spillFile = dir.resolve("spill.compressed.ply");
        CompressedPlyWriter heap = new CompressedPlyWriter(heapFile, layout, mortonOrder, Long.MAX_VALUE, 6);
        CompressedPlyWriter spill = new CompressedPlyWriter(spillFile, layout, mortonOrder, 0, 6);
        write(heap, rows, heapFile);
        write(spill, rows, spillFile);
        assertFalse(heap.spilled());
        assertTrue(spill.spilled(), "a budget of 0 sends the rows to a file from the first full block");
        assertArrayEquals(Files.readAllBytes(heapFile), Files.readAllBytes(spillFile));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "the spill file is gone");
        }
        assertEquals(COUNT, dev.vsa.core.format.Fixtures.readAll(spillFile).size());
    }

    @Test
    void mortonOrder_isTheSortTransformsOrder() throws IOException {
        SplatLayout layout = SyntheticSplats.layout(3);
        SplatBatch rows = rows(layout);
        Path in = dir.resolve("in.ply");
        try (SplatWriter w = Splats.create(in, SplatFormat.PLY, layout, dev.vsa.core.splat.WriteOptions.DEFAULTS)) {
            w.write(rows);
            w.finish();
        }
        // before: the sort transform (whole rows spilled and sorted), then a writer keeping the order
        Path sortedFirst = dir.resolve("a.compressed.ply");
        try (SplatReader r = Transforms.apply(Splats.open(in), List.of(new Transform.MortonSort()), dir);
             CompressedPlyWriter w = new CompressedPlyWriter(sortedFirst, layout, false)) {
            SplatBatch b = new SplatBatch(layout, 500);
            while (r.read(b) > 0) {
                w.write(b);
            }
            w.finish();
        }
        Path converted = dir.resolve("b.compressed.ply");
        Splats.convert(in, converted, ConvertOptions.DEFAULTS, ProgressListener.NONE);
        assertArrayEquals(Files.readAllBytes(sortedFirst), Files.readAllBytes(converted));
        // a sort step given last is the writer's own
        Path explicit = dir.resolve("c.compressed.ply");
        Splats.convert(in, explicit, new ConvertOptions(null, null, List.of(new Transform.MortonSort())),
                ProgressListener.NONE);
        assertArrayEquals(Files.readAllBytes(sortedFirst), Files.readAllBytes(explicit));
    }

    @Test
    void largeBatches_encodedOnTwoThreads_giveTheBytesOfSmallOnes() throws IOException {
        SplatLayout layout = SyntheticSplats.layout(2);
        SplatBatch rows = SyntheticSplats.generate(layout, 20_000, 3);
        rows.set(12_345, SplatLayout.X, Float.NaN);
        // outside the synthetic box, on the second thread: rows.room() grows 1024, 1024, 2048, 4096, 8192, 3616, and the
        // 8192-row piece (rows 8192-16383) is the one split in two, so a low and a high outlier in 12288-16383 make a
        // merge that drops either bound of the other half change the bytes
        rows.set(15_000, SplatLayout.Z, -1e6f);
        rows.set(15_500, SplatLayout.Y, 1e6f);
        Path large = dir.resolve("large.compressed.ply");
        try (CompressedPlyWriter w = new CompressedPlyWriter(large, layout, true)) {
            w.write(rows); // one write of 20,000 rows: split between two threads
            w.finish();
        }
        Path small = dir.resolve("small.compressed.ply");
        write(new CompressedPlyWriter(small, layout, true), rows, small);
        assertArrayEquals(Files.readAllBytes(small), Files.readAllBytes(large));
    }

    @Test
    void keptOrder_readsBackInOrder() throws IOException {
        SplatLayout layout = SyntheticSplats.layout(1);
        SplatBatch rows = SyntheticSplats.generate(layout, COUNT, 5);
        Path file = dir.resolve("kept.compressed.ply");
        write(new CompressedPlyWriter(file, layout, false, 0, 6), rows, file);
        SplatBatch back = dev.vsa.core.format.Fixtures.readAll(file);
        for (int r = 0; r < COUNT; r += 97) {
            assertEquals(rows.get(r, SplatLayout.X), back.get(r, SplatLayout.X), 20.0 / 1023);
        }
    }

    @Test
    void noRows_headerOnly() throws IOException {
        Path file = dir.resolve("empty.compressed.ply");
        SplatLayout layout = SyntheticSplats.layout(0);
        try (CompressedPlyWriter w = new CompressedPlyWriter(file, layout, true)) {
            w.finish();
        }
        String text = Files.readString(file);
        assertTrue(text.contains("element chunk 0\n") && text.contains("element vertex 0\n") && text.endsWith("end_header\n"));
    }
}
