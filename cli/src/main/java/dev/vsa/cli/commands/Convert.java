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
import dev.vsa.core.scene.SceneKind;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.WriteOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code vsa convert IN OUT}: converts one file between formats. */
@Command(name = "convert", mixinStandardHelpOptions = true, usageHelpWidth = 120,
        description = {
            "Convert a splat file to another format (" + Formats.READABLE + "; also CSV, written only), or a glTF "
                    + "mesh file from one of glTF and GLB to the other. The input format is "
                    + "found from its content, the output format from --to or else OUT's file-name ending. OUT is "
                    + "replaced if it exists (written to a temporary file first, so a failed conversion leaves no partial file).",
            "Transforms (-t) change the splats on the way, in the order given.",
            "OUT ending in .html (or --to html): one self-contained page that shows the scene in the web app's viewer (three.js and "
                    + "Spark, inlined) when opened from disk, with no network: splats are embedded as SPZ v3, meshes as "
                    + "GLB, base64 (about 4 MB of viewer plus 4/3 of the scene)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  vsa convert vsa-demo/demo.ply vsa-demo/demo.splat",
            "  vsa convert scene.ply scene.spz --spz-version 3",
            "  vsa convert scene.spz out.bin --to glb",
            "  vsa convert scene.ply scene.ksplat --ksplat-level 2   (GaussianSplats3D, smallest)",
            "  vsa convert scene.spz scene.html   (one file that shows the scene offline in a browser)",
            "  vsa convert model.glb model.gltf --embed",
            "  vsa convert in.ply out.spz -t rotate=180,0,0 -t scale=0.5 -t filter-nan   (rotate, then scale, then filter)",
            "  vsa convert in.ply clean.spz --filter 'opacity>0.05' --filter 'scale_max<2'   (drop faint and huge splats)",
            "",
            LodMixin.HELP_TEXT,
            "",
            TransformMixin.HELP})
public final class Convert extends BaseCommand {
    @Parameters(index = "0", paramLabel = "IN", description = "The file to read.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "The file to write.")
    Path outFile;

    @Mixin
    OutputFormatMixin to;

    @Mixin
    WriteMixin write;


    @Option(names = "--embed",
            description = "With --to gltf (meshes or splats): put buffers and images into the .gltf as data URIs "
                    + "instead of writing them beside it (OUT.bin, OUT_image0.png, ...); up to 256 MiB each.")
    boolean embed;

    @Mixin
    TransformMixin transform;

    @Mixin
    LodMixin lod;

    @Mixin
    QuietMixin quiet;

    @Mixin
    JsonMixin json;

    /** The {@code --json} document. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record ConvertJson(String input, String output, String from, String to, String kind, Long splats, Integer shDegree,
                       long bytesIn, long bytesOut, double seconds, List<String> losses, Long removed) {
    }

    /**
     * One warning line for each writing option given that the output format does not use (e.g. --lod-levels with a
     * .spz output): the conversion goes on, but a user who typed it expected it to change something.
     */
    private void warnUnused(SplatFormat target, boolean html) {
        picocli.CommandLine.ParseResult given = spec.commandLine().getParseResult();
        String output = html ? "an .html page" : "a " + target.id() + " output";
        boolean lodWrite = !html && target == SplatFormat.LOD;
        java.util.function.BiConsumer<String, String> warn = (option, appliesTo) -> {
            if (given.hasMatchedOption(option)) {
                err().println("warning: " + option + " applies only to " + appliesTo + "; ignored for " + output);
            }
        };
        if (html || !(target == SplatFormat.SPZ || target == SplatFormat.GLB_SPZ)) {
            warn.accept("--spz-version", "SPZ and glb-spz outputs");
        }
        if (html || target != SplatFormat.KSPLAT) {
            warn.accept("--ksplat-level", ".ksplat outputs");
        }
        if (html || target != SplatFormat.GLTF) {
            warn.accept("--embed", ".gltf outputs");
        }
        if (!lodWrite) {
            for (String o : List.of("--lod-levels", "--lod-keep", "--lod-chunk-count", "--lod-chunk-extent",
                    "--lod-chunk-min", "--lod-file-count")) {
                warn.accept(o, "lod-meta.json outputs");
            }
        }
    }

    @Override
    protected int run() throws Exception {
        if (Files.isDirectory(outFile)) {
            throw new IllegalArgumentException(outFile + " is a folder: OUT is the file to write (e.g. "
                    + outFile.resolve("scene.spz") + ")");
        }
        boolean html = to.html(outFile);
        SplatFormat target = html ? SplatFormat.SPZ : to.of(outFile);
        WriteOptions writeOptions = write.options();
        warnUnused(target, html);
        dev.vsa.cli.InputFiles.requireRegular(in);
        long t0 = System.nanoTime();
        Conversions.Result r;
        try (Progress p = Progress.start("convert", -1, !quiet.quiet() && !json.json())) {
            r = html ? Conversions.toHtml(in, outFile, transform.transforms(), p)
                    : lod.applies(target)
                    ? lod.convert(in, outFile, target, writeOptions, transform.transforms(), p)
                    : Conversions.convert(in, outFile, new Conversions.Options(target, writeOptions, embed,
                            transform.transforms()), p);
        } catch (IOException e) {
            throw Conversions.namingOut(e, outFile);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long bytesIn = Files.size(in);
        long bytesOut = r.bytesOut();
        if (json.json()) {
            Json.print(out(), new ConvertJson(in.toString(), outFile.toString(), r.from(), r.to(),
                    r.kind() == SceneKind.MESH ? "mesh" : "splats", r.splats(), r.shDegree(), bytesIn, bytesOut, seconds,
                    r.losses(), transform.filters() ? r.removed() : null));
        } else if (!quiet.quiet()) {
            String what = r.kind() == SceneKind.MESH ? "glTF meshes"
                    : Table.count(r.splats(), "splat") + ", SH degree " + r.shDegree()
                    + (transform.filters() ? String.format(Locale.ROOT, ", %d of %d removed by filters", r.removed(),
                    r.splatsIn()) : "");
            out().printf(Locale.ROOT, "%s (%s, %s) -> %s (%s, %s): %s, %.2f s%n", in, r.from(), Table.bytes(bytesIn),
                    outFile, r.to(), Table.bytes(bytesOut), what, seconds);
            if (lod.summary != null) {
                out().println("  " + lod.summary);
            }
        }
        if (!r.losses().isEmpty() && !json.json()) {
            // one line, even with --quiet: data was dropped or rounded
            err().println("warning: lossy: " + String.join("; ", r.losses()));
        }
        return ExitCodes.OK;
    }
}
