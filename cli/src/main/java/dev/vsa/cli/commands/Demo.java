package dev.vsa.cli.commands;

import dev.vsa.cli.BaseCommand;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.JsonMixin;
import dev.vsa.cli.demo.SyntheticScene;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.output.Table;
import dev.vsa.core.inspect.SplatInspection;
import dev.vsa.core.inspect.SplatInspector;
import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.WriteOptions;
import dev.vsa.core.validate.Severity;
import dev.vsa.core.validate.ValidationReport;
import dev.vsa.core.validate.Validator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code vsa demo}: makes a sample scene, converts it, inspects and validates the results. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "Show what vsa does with nothing installed: make a synthetic Gaussian-splat scene (seeded, SH degree 3),"
                    + " write it as PLY, convert it to SPZ and to GLB (KHR_gaussian_splatting), then inspect and"
                    + " validate all three files.",
            "The files stay in the output folder for you to try the other commands on."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  vsa demo                          writes vsa-demo/demo.ply, .spz, .glb",
            "  vsa demo --out /tmp/d --splats 20000 --seed 7",
            "  vsa demo --json"})
public final class Demo extends BaseCommand {
    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "vsa-demo",
            description = "Folder to write the files in (created if missing). Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--splats", paramLabel = "N", defaultValue = "4096",
            description = "Number of splats to generate (1..10000000). Default: ${DEFAULT-VALUE}.")
    int splats;

    @Option(names = "--seed", defaultValue = "42",
            description = "Random seed: the same seed gives the same scene. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--sh-degree", paramLabel = "D", defaultValue = "3",
            description = "Spherical-harmonics degree of the scene, 0..3. Default: ${DEFAULT-VALUE}.")
    int shDegree;

    @Mixin
    JsonMixin json;

    /** One file the demo made, for {@code --json}. */
    record DemoFile(String path, String format, long splats, int shDegree, long bytes, boolean valid, int errors,
                    int warnings) {
    }

    /** The {@code --json} document. */
    record DemoResult(String folder, long seed, List<DemoFile> files, boolean valid) {
    }

    @Override
    protected int run() throws Exception {
        if (splats < 1 || splats > 10_000_000) {
            throw new IllegalArgumentException("--splats must be 1..10000000, was " + splats);
        }
        if (shDegree < 0 || shDegree > 3) {
            throw new IllegalArgumentException("--sh-degree must be 0..3, was " + shDegree);
        }
        boolean text = !json.json();
        Files.createDirectories(out);
        Path ply = out.resolve("demo.ply");
        Path spz = out.resolve("demo.spz");
        Path glb = out.resolve("demo.glb");

        SyntheticScene.write(ply, SplatFormat.PLY, splats, shDegree, seed);
        if (text) {
            out().printf("1. made a synthetic scene: %s, SH degree %d, seed %d -> %s%n", Table.count(splats, "splat"),
                    shDegree, seed, ply);
        }
        Conversions.convertSplats(ply, spz, SplatFormat.SPZ, WriteOptions.DEFAULTS, ProgressListener.NONE);
        if (text) {
            out().printf("2. converted PLY to SPZ -> %s%n", spz);
        }
        Conversions.convertSplats(ply, glb, SplatFormat.GLB, WriteOptions.DEFAULTS, ProgressListener.NONE);
        if (text) {
            out().printf("3. converted PLY to GLB (KHR_gaussian_splatting) -> %s%n", glb);
            out().println("4. inspected and validated each file:");
        }
        List<DemoFile> files = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean allValid = true;
        Table table = new Table("file", "format", "splats", "sh", "size", "bytes/splat", "validation");
        for (Path p : List.of(ply, spz, glb)) {
            SplatInspection inspection = SplatInspector.inspect(p, ProgressListener.NONE);
            long count = inspection.count();
            int degree = inspection.shDegree();
            String format = inspection.format();
            ValidationReport report = Validator.validate(p);
            int errors = report.issues().numErrors();
            int warnings = report.issues().numWarnings();
            boolean valid = report.isValid(Severity.ERROR);
            allValid &= valid;
            report.issues().messages().forEach(i -> problems.add(p.getFileName() + ": " + i));
            long bytes = Files.size(p);
            files.add(new DemoFile(p.toString(), format, count, degree, bytes, valid, errors, warnings));
            table.row(p.getFileName().toString(), format, count, degree, Table.bytes(bytes),
                    String.format(java.util.Locale.ROOT, "%.1f", (double) bytes / Math.max(1, count)),
                    (valid ? "valid" : "INVALID") + " (" + Table.count(errors, "error") + ", "
                            + Table.count(warnings, "warning") + ")");
        }
        if (text) {
            table.print(out());
            problems.forEach(line -> out().println("  " + line));
            out().println();
            out().println("Next: vsa inspect " + ply + "   |   vsa convert " + ply + " " + out.resolve("demo.splat")
                    + "   |   vsa --help");
        } else {
            Json.print(out(), new DemoResult(out.toString(), seed, files, allValid));
        }
        return allValid ? ExitCodes.OK : ExitCodes.INVALID;
    }
}
