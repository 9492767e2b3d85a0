package dev.vsa.core.splat;

import dev.vsa.core.transform.Transform;
import dev.vsa.core.transform.Transforms;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Several splat files read as one, each with its own transforms: the rows of the first, then the second, ... in
 * one layout. The SH degree is the highest of the parts (after their transforms): a part with fewer bands gets
 * zeros for the missing coefficients (what a renderer does for a band that is absent), so nothing is lost by
 * merging; to drop bands instead, give the richer part {@code sh=D}. Extra PLY properties are kept only when every
 * part has the same ones.
 *
 * <pre>{@code
 * List<Merge.Part> parts = List.of(new Merge.Part(Path.of("a.ply"), List.of(Transform.parse("translate=1,0,0"))),
 *         new Merge.Part(Path.of("b.spz"), List.of(Transform.parse("scale=2"))));
 * Merge.Reader rows = Merge.open(parts, Path.of("/tmp"));
 * ConvertResult r = Splats.convert(() -> rows, Path.of("merged.spz"), ConvertOptions.DEFAULTS, ProgressListener.NONE);
 * }</pre>
 */
public final class Merge {
    private Merge() {
    }

    /**
     * One input and the steps applied to it alone.
     *
     * @param file       a splat file (format found by content)
     * @param transforms applied to this file's rows, in order (null means none)
     */
    public record Part(Path file, List<Transform> transforms) {
        /** @throws IllegalArgumentException if {@code file} is null */
        public Part {
            if (file == null) {
                throw new IllegalArgumentException("file must not be null");
            }
            transforms = transforms == null ? List.of() : List.copyOf(transforms);
        }
    }

    /**
     * What one part contributed.
     *
     * @param file     the part's file
     * @param format   its format
     * @param shDegree its SH degree after its transforms
     * @param splats   rows it gave after its transforms (known once it is read)
     */
    public record PartResult(Path file, SplatFormat format, int shDegree, long splats) {
    }

    /**
     * Opens every part (each file's header is read now, so a bad file fails before any row is written) and returns
     * a reader of their rows in order. Closing it closes every part.
     *
     * @param spillDirectory where a part's sort or count decimation keeps its temporary file
     * @throws IllegalArgumentException if {@code parts} is empty or a part's transform is invalid for it
     * @throws dev.vsa.core.error.MalformedInputException if a file is not a readable splat file
     * @throws IOException if a file cannot be read
     */
    public static Reader open(List<Part> parts, Path spillDirectory) throws IOException {
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException("merge needs at least one input");
        }
        List<SplatReader> readers = new ArrayList<>();
        try {
            for (Part p : parts) {
                SplatReader r = Splats.open(p.file());
                try {
                    readers.add(Transforms.apply(r, p.transforms(), spillDirectory));
                } catch (IOException | RuntimeException e) {
                    r.close();
                    throw e;
                }
            }
            return new Reader(parts, readers);
        } catch (IOException | RuntimeException e) {
            for (SplatReader r : readers) {
                try {
                    r.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** The merged rows; see {@link Merge}. */
    public static final class Reader implements SplatReader {
        private final List<Part> parts;
        private final List<SplatReader> readers;
        private final long[] rows;
        private final SplatFileInfo info;
        private final List<String> notes = new ArrayList<>();
        private final List<String> losses = new ArrayList<>();
        private int current;
        private SplatBatch scratch;

        private Reader(List<Part> parts, List<SplatReader> readers) throws IOException {
            this.parts = parts;
            this.readers = readers;
            this.rows = new long[readers.size()];
            int degree = 0;
            List<String> extras = readers.get(0).info().layout().extras();
            boolean sameExtras = true;
            long count = 0, size = 0;
            for (SplatReader r : readers) {
                SplatFileInfo i = r.info();
                degree = Math.max(degree, i.layout().shDegree());
                sameExtras &= i.layout().extras().equals(extras);
                count = count < 0 || i.count() < 0 ? -1 : count + i.count();
                size += i.fileSize();
            }
            SplatLayout layout = new SplatLayout(degree, sameExtras ? extras : List.of());
            for (int k = 0; k < readers.size(); k++) {
                SplatLayout l = readers.get(k).info().layout();
                if (l.shDegree() < degree) {
                    notes.add(parts.get(k).file().getFileName() + ": SH degree " + l.shDegree() + " padded to " + degree
                            + " with zeros");
                }
            }
            if (!sameExtras) {
                losses.add("extra properties dropped: the inputs do not all have the same ones");
            }
            SplatFileInfo first = readers.get(0).info();
            info = new SplatFileInfo(first.format(), first.version(), "merged from " + readers.size() + " files", count,
                    layout, size);
        }

        /** Rows of the merged layout: the highest SH degree, extras only when all parts share them. */
        @Override
        public SplatFileInfo info() {
            return info;
        }

        /** What merging added that loses nothing (SH padded with zeros), one sentence each. */
        public List<String> notes() {
            return List.copyOf(notes);
        }

        /** What merging dropped (extra properties the inputs do not share), one sentence each. */
        public List<String> losses() {
            return List.copyOf(losses);
        }

        /** Each part's contribution so far (complete once this reader returned 0). */
        public List<PartResult> parts() {
            List<PartResult> out = new ArrayList<>();
            for (int k = 0; k < parts.size(); k++) {
                SplatFileInfo i = readers.get(k).info();
                out.add(new PartResult(parts.get(k).file(), i.format(), i.layout().shDegree(), rows[k]));
            }
            return out;
        }

        @Override
        public int read(SplatBatch batch) throws IOException {
            if (!batch.layout().equals(info.layout())) {
                throw new IllegalArgumentException("batch layout " + batch.layout() + " is not the reader's " + info.layout());
            }
            while (current < readers.size()) {
                SplatReader r = readers.get(current);
                SplatLayout in = r.info().layout();
                if (in.equals(info.layout())) {
                    int n = r.read(batch);
                    if (n > 0) {
                        rows[current] += n;
                        return n;
                    }
                } else {
                    if (scratch == null || !scratch.layout().equals(in) || scratch.capacity() != batch.capacity()) {
                        scratch = new SplatBatch(in, batch.capacity());
                    }
                    int n = r.read(scratch);
                    if (n > 0) {
                        copy(scratch, batch, n);
                        rows[current] += n;
                        return n;
                    }
                }
                r.close();
                current++;
            }
            batch.setSize(0);
            return 0;
        }

        /** Copies rows into the merged layout: fixed columns, SH per channel (zeros where the part has none). */
        private static void copy(SplatBatch from, SplatBatch to, int n) {
            SplatLayout a = from.layout(), b = to.layout();
            int perA = a.restPerChannel(), perB = b.restPerChannel();
            int extras = a.extras().equals(b.extras()) ? b.extras().size() : 0;
            float[] src = from.array(), dst = to.array();
            int sa = from.stride(), sb = to.stride();
            for (int r = 0; r < n; r++) {
                int o = r * sa, d = r * sb;
                System.arraycopy(src, o, dst, d, SplatLayout.REST);
                for (int c = 0; c < 3; c++) {
                    int keep = Math.min(perA, perB);
                    System.arraycopy(src, o + SplatLayout.REST + c * perA, dst, d + SplatLayout.REST + c * perB, keep);
                    java.util.Arrays.fill(dst, d + SplatLayout.REST + c * perB + keep, d + SplatLayout.REST + (c + 1) * perB, 0f);
                }
                java.util.Arrays.fill(dst, d + b.extrasOffset(), d + sb, 0f);
                System.arraycopy(src, o + a.extrasOffset(), dst, d + b.extrasOffset(), extras);
            }
            to.setSize(n);
        }

        @Override
        public void close() throws IOException {
            IOException first = null;
            for (int k = current; k < readers.size(); k++) {
                try {
                    readers.get(k).close();
                } catch (IOException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            current = readers.size();
            if (first != null) {
                throw first;
            }
        }
    }
}
