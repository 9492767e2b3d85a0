package dev.vsa.cli.commands;

import dev.vsa.cli.BaseCommand;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.JsonMixin;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.output.Table;
import dev.vsa.core.render.CameraView;
import dev.vsa.core.render.RenderOptions;
import dev.vsa.core.render.RenderResult;
import dev.vsa.core.render.Renderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code vsa render FILE --out PNG}: a picture of a scene, rendered on the CPU. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = {
            "Render a picture of a scene file on the CPU: Gaussian splats (any format vsa reads, and glTF/GLB with "
                    + "KHR_gaussian_splatting) by EWA splatting with view-dependent colour from the SH coefficients; "
                    + "glTF/GLB meshes with a depth buffer, base colour, textures, vertex colours and simple lighting.",
            "The camera frames the scene (splats: the 2nd-98th percentile of the splat centres, so floaters do not "
                    + "shrink it). With --orbit N, writes a turntable of N pictures numbered after --out "
                    + "(preview-000.png, preview-001.png, ...).",
            "With --json, prints one object: the input, the pictures written and what was drawn (see docs/cli-json.md)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  vsa render vsa-demo/demo.ply --out preview.png",
            "  vsa render model.glb --out model.png --size 1024x768 --camera iso",
            "  vsa render scene.spz --out turn.png --orbit 36 --background white"})
public final class Render extends BaseCommand {
    @Parameters(paramLabel = "FILE", description = "The scene file to render.")
    Path file;

    @Option(names = {"-o", "--out"}, paramLabel = "PNG", required = true,
            description = "The picture to write (.png; .webp only when a WebP image writer is on the class path).")
    Path out;

    @Option(names = "--size", paramLabel = "WxH", defaultValue = "512x512",
            description = "Picture size in pixels, up to 8192 a side. Default: ${DEFAULT-VALUE}.")
    String size;

    @Option(names = "--camera", paramLabel = "VIEW", defaultValue = "auto",
            description = "Camera direction: auto (three-quarter view), front, top or iso. Default: ${DEFAULT-VALUE}.")
    String camera;

    @Option(names = "--orbit", paramLabel = "N", defaultValue = "1",
            description = "Write a turntable of N pictures (1 to 3600), the camera turning round the scene. "
                    + "Default: ${DEFAULT-VALUE} (one picture).")
    int orbit;

    @Option(names = "--background", paramLabel = "COLOR", defaultValue = "#202020",
            description = "Background colour: #RRGGBB, #RGB, black, white or grey. Default: ${DEFAULT-VALUE}.")
    String background;

    @Mixin
    JsonMixin json;

    /** The {@code --json} object. */
    public record RenderJson(String file, List<String> outputs, String kind, int width, int height, int frames,
                             long inputCount, long drawn, long millis) {
    }

    @Override
    protected int run() throws IOException {
        RenderOptions options;
        String format;
        try {
            int[] wh = RenderOptions.parseSize(size);
            options = RenderOptions.DEFAULTS.withSize(wh[0], wh[1]).withCamera(CameraView.of(camera))
                    .withFrames(orbit).withBackground(RenderOptions.parseColor(background));
            format = imageFormat(out);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        dev.vsa.cli.InputFiles.requireRegular(file);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        List<String> written = new ArrayList<>();
        int frames = options.frames();
        RenderResult r = Renderer.render(file, options, (i, image) -> {
            Path target = frames == 1 ? out : numbered(out, i, frames);
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            if (!ImageIO.write(image, format, tmp.toFile())) {
                Files.deleteIfExists(tmp);
                throw new IOException("no " + format + " image writer");
            }
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            written.add(target.toString());
        });
        if (json.json()) {
            Json.print(out(), new RenderJson(file.toString(), written, r.kind(), r.width(), r.height(), r.frames(),
                    r.inputCount(), r.drawn(), r.millis()));
        } else {
            out().printf("%s: %s %dx%d, %s drawn of %d, %d ms%n", file, r.frames() == 1 ? "picture" :
                            r.frames() + " pictures", r.width(), r.height(),
                    Table.count(r.drawn(), r.kind().equals("mesh") ? "triangle" : "splat"), r.inputCount(), r.millis());
            for (String w : written) {
                out().println("  wrote " + w);
            }
        }
        return ExitCodes.OK;
    }

    /** The ImageIO format for the output's extension: png, or webp when a WebP writer is installed. */
    static String imageFormat(Path out) {
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return "png";
        }
        if (name.endsWith(".webp")) {
            if (!ImageIO.getImageWritersByFormatName("webp").hasNext()) {
                throw new IllegalArgumentException("no WebP image writer is installed: write a .png");
            }
            return "webp";
        }
        throw new IllegalArgumentException("--out must end in .png (or .webp), was " + out);
    }

    /** {@code preview.png} -> {@code preview-007.png} (at least 3 digits). */
    static Path numbered(Path out, int index, int frames) {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        int digits = Math.max(3, Integer.toString(frames - 1).length());
        String n = String.format(Locale.ROOT, "%0" + digits + "d", index);
        return out.resolveSibling(name.substring(0, dot) + "-" + n + name.substring(dot));
    }
}
