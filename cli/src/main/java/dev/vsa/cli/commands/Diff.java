package dev.vsa.cli.commands;

import dev.vsa.cli.BaseCommand;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.JsonMixin;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.output.Table;
import dev.vsa.core.inspect.SplatDiff;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code vsa diff A B}: what a lossy conversion cost, per attribute group. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {
            "Compare two splat files (any formats vsa reads) and show, per attribute group, the mean, 99th percentile "
                    + "and maximum absolute error: position (scene units), position_rel (relative to A's bounding-box "
                    + "diagonal), scale (log), opacity (alpha), colour (per channel), sh1..sh3 (per band present in "
                    + "both), rotation_deg (degrees between the splats' orientations; half turns about a splat's own axes "
                    + "leave it unchanged and count 0). Splats are paired by order, or by nearest position for writers "
                    + "that reorder (SOG, compressed PLY).",
            "With --max-error, exits 1 when a group's error is past its threshold (for CI)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  vsa diff scene.ply scene.spz",
            "  vsa diff --match nearest scene.ply scene.sog",
            "  vsa diff scene.ply scene.spz --max-error position_rel=1e-4,rotation_deg.p99=2 --json"})
public final class Diff extends BaseCommand {
    @Parameters(index = "0", paramLabel = "A", description = "The reference file (e.g. the original).")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "The file compared with it (e.g. a conversion).")
    Path b;

    @Option(names = "--match", paramLabel = "order|nearest", defaultValue = "order",
            description = "Pair splats by order (row i with row i) or by nearest position. Default: ${DEFAULT-VALUE}.")
    String match;

    @Option(names = "--max-error", paramLabel = "GROUP[.STAT]=VALUE[,...]", split = ",", hideParamSyntax = true,
            description = "Thresholds: exit 1 if a group's STAT (mean, p99 or max; default max) is larger than VALUE.")
    List<String> maxError = new ArrayList<>();

    @Mixin
    JsonMixin json;

    /** The {@code --json} object. */
    public record DiffJson(String a, String b, long countA, long countB, long compared, String match,
                           Map<String, SplatDiff.Stat> groups, List<String> exceeded) {
    }

    @Override
    protected int run() throws IOException {
        SplatDiff.Match m = switch (match.toLowerCase(Locale.ROOT)) {
            case "order" -> SplatDiff.Match.ORDER;
            case "nearest" -> SplatDiff.Match.NEAREST;
            default -> throw new IllegalArgumentException("--match must be order or nearest, was " + match);
        };
        Map<String, Double> limits = new LinkedHashMap<>();
        for (String spec : maxError) {
            int eq = spec.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--max-error needs GROUP[.STAT]=VALUE, was " + spec);
            }
            try {
                limits.put(spec.substring(0, eq).strip(), Double.parseDouble(spec.substring(eq + 1).strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--max-error value is not a number: " + spec);
            }
        }
        dev.vsa.cli.InputFiles.requireRegular(a);
        dev.vsa.cli.InputFiles.requireRegular(b);
        SplatDiff.Result r = SplatDiff.compare(a, b, m);
        List<String> exceeded = new ArrayList<>();
        for (Map.Entry<String, Double> l : limits.entrySet()) {
            String key = l.getKey();
            int dot = key.indexOf('.');
            String group = dot < 0 ? key : key.substring(0, dot);
            String stat = dot < 0 ? "max" : key.substring(dot + 1);
            SplatDiff.Stat s = r.groups().get(group);
            if (s == null) {
                throw new IllegalArgumentException("--max-error names an unknown group '" + group + "' (groups: "
                        + String.join(", ", r.groups().keySet()) + ")");
            }
            double v = switch (stat) {
                case "mean" -> s.mean();
                case "p99" -> s.p99();
                case "max" -> s.max();
                default -> throw new IllegalArgumentException("--max-error statistic must be mean, p99 or max, was " + stat);
            };
            if (v > l.getValue()) {
                exceeded.add(group + "." + stat + " " + v + " > " + l.getValue());
            }
        }
        if (json.json()) {
            Json.print(out(), new DiffJson(a.toString(), b.toString(), r.countA(), r.countB(), r.compared(),
                    m.name().toLowerCase(Locale.ROOT), r.groups(), exceeded));
        } else {
            out().println(a + ": " + Table.count(r.countA(), "splat") + "; " + b + ": " + Table.count(r.countB(), "splat")
                    + "; " + r.compared() + " compared (by " + m.name().toLowerCase(Locale.ROOT) + ")");
            Table t = new Table("group", "mean", "p99", "max");
            r.groups().forEach((g, s) -> t.row(g, fmt(s.mean()), fmt(s.p99()), fmt(s.max())));
            t.print(out());
            for (String e : exceeded) {
                out().println("over the threshold: " + e);
            }
        }
        if (r.countA() != r.countB() && m == SplatDiff.Match.ORDER && !json.json()) {
            out().println("note: the counts differ; the first " + r.compared() + " are compared");
        }
        return exceeded.isEmpty() ? ExitCodes.OK : ExitCodes.INVALID;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
