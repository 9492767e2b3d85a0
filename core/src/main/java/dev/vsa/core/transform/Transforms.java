package dev.vsa.core.transform;

import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Applies {@link Transform}s to a stream of splats.
 *
 * <pre>{@code
 * try (SplatReader in = Transforms.apply(Splats.open(ply), List.of(new Transform.FilterNan(), new Transform.MortonSort()),
 *         Path.of("/tmp"))) {
 *     SplatBatch batch = new SplatBatch(in.info().layout(), SplatBatch.DEFAULT_CAPACITY);
 *     while (in.read(batch) > 0) { ... }
 * }
 * }</pre>
 */
public final class Transforms {
    private Transforms() {
    }

    /**
     * A reader that yields {@code source}'s splats with {@code transforms} applied in order. Closing it closes
     * {@code source}. Its {@code info()} keeps the source's format facts, with the output layout and
     * {@code count()} the exact output count when known before reading (no filter steps), else -1 until a
     * spilling step has read everything.
     *
     * @param spillDirectory where {@link Transform.MortonSort} and count decimation after a filter keep their
     *                       temporary file (it is deleted when the reader is closed)
     * @throws IllegalArgumentException if {@code spillDirectory} is not a directory while a step needs it
     */
    public static SplatReader apply(SplatReader source, List<Transform> transforms, Path spillDirectory)
            throws IOException {
        SplatReader r = source;
        for (Transform t : transforms) {
            long count = r.info().count();
            SplatLayout layout = r.info().layout();
            r = switch (t) {
                case Transform.Translate tr -> new OpStage(r, RowOps.translate(tr), count);
                case Transform.Rotate ro -> new OpStage(r, RowOps.rotate(ro, layout), count);
                case Transform.Frame f -> new OpStage(r, RowOps.frame(f, layout), count);
                case Transform.Scale sc -> new OpStage(r, RowOps.scale(sc), count);
                case Transform.FilterNan f -> new OpStage(r, RowOps.filterNan(), -1);
                case Transform.ValueFilter f -> new OpStage(r, RowOps.valueFilter(f, layout), -1);
                case Transform.Box b -> new OpStage(r, RowOps.box(b), -1);
                case Transform.Sphere s -> new OpStage(r, RowOps.sphere(s), -1);
                case Transform.ShDegree d -> d.degree() >= layout.shDegree() ? r : new ShStage(r, d.degree());
                case Transform.MortonSort m -> new SpillStage(r, SpillStage.Kind.MORTON, 0, dir(spillDirectory));
                case Transform.Decimate d when d.count() == 0 -> new OpStage(r, RowOps.decimateFraction(d.fraction()), -1);
                case Transform.Decimate d when count >= 0 ->
                        new OpStage(r, RowOps.decimateCount(d.count(), count), Math.min(count, d.count()));
                case Transform.Decimate d -> new SpillStage(r, SpillStage.Kind.DECIMATE, d.count(), dir(spillDirectory));
            };
        }
        return r;
    }

    /** The layout {@code transforms} turn {@code input} into (only {@link Transform.ShDegree} changes it). */
    public static SplatLayout outputLayout(SplatLayout input, List<Transform> transforms) {
        SplatLayout l = input;
        for (Transform t : transforms) {
            if (t instanceof Transform.ShDegree d && d.degree() < l.shDegree()) {
                l = l.withShDegree(d.degree());
            }
        }
        return l;
    }

    private static Path dir(Path d) {
        if (d == null || !Files.isDirectory(d)) {
            throw new IllegalArgumentException("spill directory " + d + " is not a directory");
        }
        return d;
    }
}
