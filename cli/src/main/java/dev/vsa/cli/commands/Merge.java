package dev.vsa.cli.commands;

import dev.vsa.cli.BaseCommand;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.JsonMixin;
import dev.vsa.cli.QuietMixin;
import dev.vsa.cli.TransformMixin;
import dev.vsa.cli.WriteMixin;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.output.Progress;
import dev.vsa.cli.output.Table;
import dev.vsa.core.splat.ConvertOptions;
import dev.vsa.core.splat.ConvertResult;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;
import dev.vsa.core.transform.Transform;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code vsa merge IN [-t SPEC]... IN [-t SPEC]... -o OUT}: several splat files into one. */
@Command(name = "merge", mixinStandardHelpOptions = true, usageHelpWidth = 120,
        description = {
            "Merge splat files into one: the rows of the first input, then the second, ... Each input may be followed "
                    + "by its own -t transforms, which apply to that input only (place it with translate, rotate, "
                    + "scale; crop it with box or filter=...). The output format comes from --to or OUT's ending, "
                    + "as for convert.",
            "SH: the output has the highest SH degree of the inputs (after their transforms, capped by the output "
                    + "format); an input with fewer bands gets zeros for the missing coefficients (said on stderr). "
                    + "To drop bands instead, add -t sh=D to the richer input. Extra PLY properties are kept only "
                    + "when every input has the same ones."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  vsa merge a.ply -t translate=1,0,0 b.spz -t scale=2 -o merged.spz",
            "  vsa merge room.ply chair.spz -t rotate=0,90,0 -t translate=2,0,1 -o scene.glb",
            "  vsa merge tile-*.ply -o whole.spz --json",
            "",
            TransformMixin.HELP})
public final class Merge extends BaseCommand {
    /** One input and its own transforms. */
    static final class Input {
        @Parameters(index = "0", arity = "1", paramLabel = "IN", description = "An input file (format by content).")
        Path file;

        @Option(names = {"-t", "--transform"}, paramLabel = "SPEC",
                description = "A transform step for the input it follows (repeatable, in order), e.g. "
                        + "translate=1,0,0, scale=2, rotate=0,90,0, sh=1, filter=opacity>0.05.")
        List<String> transforms = new ArrayList<>();
    }

    @ArgGroup(exclusive = false, multiplicity = "1..*", heading = "%nInputs (each IN, then its own -t steps):%n")
    List<Input> inputs;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT", description = "The file to write.")
    Path outFile;

    @Mixin
    OutputFormatMixin to;

    @Mixin
    WriteMixin write;


    @Mixin
    QuietMixin quiet;

    @Mixin
    JsonMixin json;

    /** One input in the {@code --json} document. */
    record InputJson(String file, String format, int shDegree, long splats, List<String> transforms) {
    }

    /** The {@code --json} document. */
    record MergeJson(List<InputJson> inputs, String output, String to, long splats, int shDegree, long bytesOut,
                     double seconds, List<String> notes, List<String> losses) {
    }

    @Override
    protected int run() throws Exception {
        SplatFormat target = to.of(outFile);
        WriteOptions writeOptions = write.options();
        List<dev.vsa.core.splat.Merge.Part> parts = new ArrayList<>();
        for (Input i : inputs) {
            dev.vsa.cli.InputFiles.requireRegular(i.file);
            parts.add(new dev.vsa.core.splat.Merge.Part(i.file, Transform.parseAll(i.transforms)));
        }
        Path dir = outFile.toAbsolutePath().getParent();
        long t0 = System.nanoTime();
        dev.vsa.core.splat.Merge.Reader[] opened = new dev.vsa.core.splat.Merge.Reader[1];
        ConvertResult r;
        try (Progress p = Progress.start("merge", -1, !quiet.quiet() && !json.json())) {
            r = Splats.convert(() -> opened[0] = dev.vsa.core.splat.Merge.open(parts, Files.isDirectory(dir) ? dir : null),
                    outFile, new ConvertOptions(target, writeOptions,
                            List.of()), p);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<String> notes = opened[0].notes();
        List<String> losses = new ArrayList<>(opened[0].losses());
        losses.addAll(r.losses());
        List<dev.vsa.core.splat.Merge.PartResult> done = opened[0].parts();
        if (json.json()) {
            List<InputJson> in = new ArrayList<>();
            for (int k = 0; k < done.size(); k++) {
                dev.vsa.core.splat.Merge.PartResult pr = done.get(k);
                in.add(new InputJson(pr.file().toString(), pr.format().id(), pr.shDegree(), pr.splats(),
                        inputs.get(k).transforms));
            }
            Json.print(out(), new MergeJson(in, outFile.toString(), r.outputFormat().id(), r.splatsOut(),
                    r.shDegreeOut(), r.bytesOut(), seconds, notes, losses));
        } else {
            if (!quiet.quiet()) {
                for (dev.vsa.core.splat.Merge.PartResult pr : done) {
                    out().printf(Locale.ROOT, "  %s (%s, SH degree %d): %s%n", pr.file(), pr.format().id(),
                            pr.shDegree(), Table.count(pr.splats(), "splat"));
                }
                out().printf(Locale.ROOT, "-> %s (%s, %s): %s, SH degree %d, %.2f s%n", outFile,
                        r.outputFormat().id(), Table.bytes(r.bytesOut()), Table.count(r.splatsOut(), "splat"),
                        r.shDegreeOut(), seconds);
            }
            for (String n : notes) {
                err().println("note: " + n);
            }
            if (!losses.isEmpty()) {
                err().println("warning: lossy: " + String.join("; ", losses));
            }
        }
        return ExitCodes.OK;
    }
}
