package dev.vsa.core.inspect;

import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFileInfo;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.Splats;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Summarizes a splat file in one streaming pass.
 *
 * <pre>{@code
 * SplatInspection i = SplatInspector.inspect(Path.of("scene.ply"), ProgressListener.NONE);
 * System.out.println(i.count() + " splats, SH degree " + i.shDegree());
 * }</pre>
 */
public final class SplatInspector {
    private SplatInspector() {
    }

    /**
     * Reads every splat of {@code file} once and returns its statistics.
     *
     * @param progress told splats read so far and the header's count
     * @throws dev.vsa.core.error.MalformedInputException if the file is not a readable splat file
     * @throws IOException if it cannot be read
     */
    public static SplatInspection inspect(Path file, ProgressListener progress) throws IOException {
        return pass(file, progress, false).inspection();
    }

    /**
     * Reads every splat of {@code file} once and returns {@link #inspect}'s summary plus each column's
     * distribution (mean, standard deviation, median, 1st/99th percentile, a 16-bin histogram) and the
     * {@link SplatStatistics.Overdraw overdraw} figure. Memory: 256 KiB a column, whatever the splat count.
     *
     * <pre>{@code
     * SplatStatistics s = SplatInspector.statistics(Path.of("scene.ply"), ProgressListener.NONE);
     * if (s.overdraw().ratio() != null && s.overdraw().ratio() > 500) { ... refuse to publish ... }
     * }</pre>
     *
     * @param progress told splats read so far and the header's count
     * @throws dev.vsa.core.error.MalformedInputException if the file is not a readable splat file
     * @throws IOException if it cannot be read
     */
    public static SplatStatistics statistics(Path file, ProgressListener progress) throws IOException {
        return pass(file, progress, true);
    }

    private static SplatStatistics pass(Path file, ProgressListener progress, boolean distributions) throws IOException {
        ProgressListener listener = progress == null ? ProgressListener.NONE : progress;
        try (SplatReader r = Splats.open(file)) {
            SplatFileInfo info = r.info();
            SplatLayout layout = info.layout();
            int stride = layout.stride();
            double[] min = new double[stride];
            double[] max = new double[stride];
            double[] sum = new double[stride];
            long[] finite = new long[stride];
            long[] nan = new long[stride];
            long[] inf = new long[stride];
            java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
            java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
            SplatBatch batch = new SplatBatch(layout, SplatBatch.DEFAULT_CAPACITY);
            ColumnSketch[] sketches = new ColumnSketch[distributions ? stride : 0];
            for (int c = 0; c < sketches.length; c++) {
                sketches[c] = new ColumnSketch();
            }
            double footprint = 0;
            long count = 0;
            int n;
            while ((n = r.read(batch)) > 0) {
                float[] a = batch.array();
                if (distributions) {
                    for (int c = 0; c < stride; c++) {
                        ColumnSketch sk = sketches[c];
                        for (int i = c, end = n * stride; i < end; i += stride) {
                            if (Float.isFinite(a[i])) {
                                sk.add(a[i]);
                            }
                        }
                    }
                    for (int i = 0, o = 0; i < n; i++, o += stride) {
                        double s0 = Math.exp(a[o + SplatLayout.SCALE_0]), s1 = Math.exp(a[o + SplatLayout.SCALE_1]),
                                s2 = Math.exp(a[o + SplatLayout.SCALE_2]);
                        double product = Math.max(s0 * s1, Math.max(s0 * s2, s1 * s2)); // the two largest
                        if (!Double.isNaN(product)) {
                            footprint += Math.PI * product;
                        }
                    }
                }
                for (int c = 0; c < stride; c++) {
                    double lo = min[c], hi = max[c], s = 0;
                    long f = 0;
                    for (int i = c, end = n * stride; i < end; i += stride) {
                        float v = a[i];
                        if (Float.isFinite(v)) {
                            lo = Math.min(lo, v);
                            hi = Math.max(hi, v);
                            s += v;
                            f++;
                        } else if (Float.isNaN(v)) {
                            nan[c]++;
                        } else {
                            inf[c]++;
                        }
                    }
                    min[c] = lo;
                    max[c] = hi;
                    sum[c] += s;
                    finite[c] += f;
                }
                count += n;
                listener.progress(count, info.count());
            }
            List<SplatInspection.ColumnStats> columns = new ArrayList<>(stride);
            for (int c = 0; c < stride; c++) {
                boolean any = finite[c] > 0;
                columns.add(new SplatInspection.ColumnStats(layout.columnName(c), any ? min[c] : null,
                        any ? max[c] : null, any ? sum[c] / finite[c] : null, nan[c], inf[c]));
            }
            SplatInspection.Bounds bounds = finite[0] > 0 && finite[1] > 0 && finite[2] > 0
                    ? new SplatInspection.Bounds(min[0], min[1], min[2], max[0], max[1], max[2]) : null;
            SplatInspection inspection = new SplatInspection(info.format().id(), info.version(), info.variant(), count,
                    layout.shDegree(), bounds, columns, layout.extras(), info.fileSize(),
                    count == 0 ? 0 : (double) info.fileSize() / count);
            if (!distributions) {
                return new SplatStatistics(inspection, List.of(), null);
            }
            List<SplatStatistics.Distribution> dist = new ArrayList<>(stride);
            double[] extent = new double[3];
            for (int c = 0; c < stride; c++) {
                ColumnSketch sk = sketches[c];
                Double p1 = sk.quantile(0.01), p99 = sk.quantile(0.99);
                dist.add(new SplatStatistics.Distribution(layout.columnName(c), sk.count(), sk.mean(), sk.stdDev(),
                        sk.quantile(0.5), p1, p99, sk.histogram(p1, p99)));
                if (c < 3) {
                    extent[c] = p1 == null ? 0 : p99 - p1;
                }
            }
            double cross = (extent[0] * extent[1] + extent[1] * extent[2] + extent[0] * extent[2]) / 3;
            Double area = Double.isFinite(footprint) ? footprint : null;
            Double ratio = area == null || !(cross > 0) ? null : area / cross;
            return new SplatStatistics(inspection, dist,
                    new SplatStatistics.Overdraw(ratio, area, cross, List.of(extent[0], extent[1], extent[2])));
        }
    }
}
