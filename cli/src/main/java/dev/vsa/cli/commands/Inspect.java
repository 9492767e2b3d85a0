package dev.vsa.cli.commands;

import dev.vsa.cli.BaseCommand;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.JsonMixin;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.output.Table;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFileInfo;
import dev.vsa.core.splat.SplatLayout;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.Splats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code vsa inspect FILE...}: what files hold. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {
            "Show what splat files hold: format and version, splat count, SH degree, bounding box, each column's "
                    + "min/max/mean and NaN/infinite counts, extra properties, file size and bytes per splat.",
            "With --json, prints a JSON array with one object per file (see docs/cli-json.md)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  vsa inspect vsa-demo/demo.ply",
            "  vsa inspect vsa-demo/demo.spz vsa-demo/demo.glb",
            "  vsa inspect --json scene.ply | jq '.[0].count'"})
public final class Inspect extends BaseCommand {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to inspect.")
    List<Path> files;

    @Mixin
    JsonMixin json;

    /** Statistics of one column. */
    public record ColumnStats(String name, double min, double max, double mean, long nan, long inf) {
    }

    /** Axis-aligned bounds of the splat centres. */
    public record Bounds(double[] min, double[] max) {
    }

    /** The {@code --json} object of one splat file. */
    public record SplatFileJson(String file, String kind, String format, int version, String variant, long fileSize,
                                long count, int shDegree, double bytesPerSplat, List<String> extras, Bounds bbox,
                                List<ColumnStats> columns) {
    }

    @Override
    protected int run() throws IOException {
        List<Object> results = new ArrayList<>();
        for (Path f : files) {
            SplatFileJson s = inspectSplats(f);
            results.add(s);
            if (!json.json()) {
                printSplats(s);
            }
        }
        if (json.json()) {
            Json.print(out(), results);
        }
        return ExitCodes.OK;
    }

    static SplatFileJson inspectSplats(Path f) throws IOException {
        try (SplatReader r = Splats.open(f)) {
            SplatFileInfo info = r.info();
            SplatLayout layout = info.layout();
            int stride = layout.stride();
            double[] min = new double[stride];
            double[] max = new double[stride];
            double[] sum = new double[stride];
            long[] nan = new long[stride];
            long[] inf = new long[stride];
            java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
            java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
            SplatBatch batch = new SplatBatch(layout, SplatBatch.DEFAULT_CAPACITY);
            long count = 0;
            int n;
            while ((n = r.read(batch)) > 0) {
                float[] a = batch.array();
                for (int row = 0; row < n; row++) {
                    int base = row * stride;
                    for (int c = 0; c < stride; c++) {
                        float v = a[base + c];
                        if (Float.isNaN(v)) {
                            nan[c]++;
                        } else if (Float.isInfinite(v)) {
                            inf[c]++;
                        } else {
                            if (v < min[c]) {
                                min[c] = v;
                            }
                            if (v > max[c]) {
                                max[c] = v;
                            }
                            sum[c] += v;
                        }
                    }
                }
                count += n;
            }
            List<ColumnStats> columns = new ArrayList<>();
            for (int c = 0; c < stride; c++) {
                long finite = count - nan[c] - inf[c];
                columns.add(new ColumnStats(layout.columnName(c), finite > 0 ? min[c] : Double.NaN,
                        finite > 0 ? max[c] : Double.NaN, finite > 0 ? sum[c] / finite : Double.NaN, nan[c], inf[c]));
            }
            Bounds bbox = new Bounds(new double[] {columns.get(0).min(), columns.get(1).min(), columns.get(2).min()},
                    new double[] {columns.get(0).max(), columns.get(1).max(), columns.get(2).max()});
            long size = Files.size(f);
            return new SplatFileJson(f.toString(), "splats", info.format().id(), info.version(), info.variant(), size,
                    count, layout.shDegree(), count == 0 ? 0 : (double) size / count, layout.extras(), bbox, columns);
        }
    }

    private void printSplats(SplatFileJson s) {
        out().println(s.file());
        out().printf("  format         %s%s%s%n", s.format(), s.version() > 0 ? " v" + s.version() : "",
                s.variant() == null || s.variant().isEmpty() ? "" : " (" + s.variant() + ")");
        out().printf("  splats         %d%n", s.count());
        out().printf("  SH degree      %d%n", s.shDegree());
        out().printf("  file size      %s (%d bytes, %.1f bytes/splat)%n", Table.bytes(s.fileSize()), s.fileSize(),
                s.bytesPerSplat());
        out().printf(Locale.ROOT, "  bbox           [%s] .. [%s]%n", vec(s.bbox().min()), vec(s.bbox().max()));
        out().printf("  extras         %s%n", s.extras().isEmpty() ? "none" : String.join(", ", s.extras()));
        Table t = new Table("column", "min", "max", "mean", "NaN", "Inf");
        for (ColumnStats c : s.columns()) {
            t.row(c.name(), num(c.min()), num(c.max()), num(c.mean()), c.nan(), c.inf());
        }
        java.io.StringWriter sw = new java.io.StringWriter();
        t.print(new java.io.PrintWriter(sw));
        sw.toString().lines().forEach(l -> out().println("  " + l));
    }

    private static String vec(double[] v) {
        return num(v[0]) + ", " + num(v[1]) + ", " + num(v[2]);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
