package dev.vsa.cli;

import dev.vsa.cli.commands.Batch;
import dev.vsa.cli.commands.Completion;
import dev.vsa.cli.commands.Convert;
import dev.vsa.cli.commands.Demo;
import dev.vsa.cli.commands.Inspect;
import dev.vsa.cli.commands.Shell;
import dev.vsa.cli.commands.Validate;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;

import java.util.List;

/**
 * The top-level {@code vsa} command. Every subcommand is registered in the one list {@link #SUBCOMMANDS}: add a
 * new command's name and class there (groups are nouns with {@code <Group><Verb>} leaves, e.g. {@code Scenes} with
 * {@code ScenesList}). The list is not in the annotation, where picocli would build every command's model on each
 * start (~0.3 s): {@link Main} builds only the one a command line runs (see {@link Main#commandLine(String...)}).
 */
@Command(name = "vsa", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Read, validate, convert and process 3D scene files: Gaussian splats (.ply, compressed "
                + ".ply, .splat, .spz, .ksplat, SOG and LOD sets, glTF/GLB with KHR_gaussian_splatting) and glTF/GLB "
                + "meshes.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  vsa demo                     make, convert, check a sample",
            "  vsa inspect scene.ply        what a file holds",
            "  vsa convert scene.ply scene.spz",
            "  vsa help convert             help on one command",
        })
public final class VsaCommand extends BaseCommand {
    /**
     * A subcommand: its name (as in its {@code @Command}; a test checks they agree), its class and, for the
     * commands whose model is generated from their annotations at build time ({@link GeneratedSpecs}), that
     * model on a new instance (else null: picocli reads the annotations).
     */
    record Subcommand(String name, Class<?> type, java.util.function.Supplier<Object> generated) {
        Subcommand(String name, Class<?> type) {
            this(name, type, null);
        }
    }

    /** Every subcommand, in the order of {@code vsa --help}. */
    static final List<Subcommand> SUBCOMMANDS = List.of(
            new Subcommand("help", HelpCommand.class),
            new Subcommand("demo", Demo.class),
            new Subcommand("inspect", Inspect.class),
            new Subcommand("validate", Validate.class),
            new Subcommand("convert", Convert.class,
                    () -> dev.vsa.cli.commands.GeneratedSpecs.convert(new Convert())),
            new Subcommand("merge", dev.vsa.cli.commands.Merge.class),
            new Subcommand("diff", dev.vsa.cli.commands.Diff.class),
            new Subcommand("render", dev.vsa.cli.commands.Render.class),
            new Subcommand("batch", Batch.class),
            new Subcommand("completion", Completion.class),
            new Subcommand("shell", Shell.class),
            new Subcommand("serve", dev.vsa.cli.commands.Serve.class),
            new Subcommand("worker", dev.vsa.cli.commands.Worker.class),
            new Subcommand("signup", dev.vsa.cli.commands.Signup.class),
            new Subcommand("login", dev.vsa.cli.commands.Login.class),
            new Subcommand("logout", dev.vsa.cli.commands.Logout.class),
            new Subcommand("whoami", dev.vsa.cli.commands.Whoami.class),
            new Subcommand("upload", dev.vsa.cli.commands.Upload.class),
            new Subcommand("scenes", dev.vsa.cli.commands.Scenes.class),
            new Subcommand("jobs", dev.vsa.cli.commands.Jobs.class),
            new Subcommand("tokens", dev.vsa.cli.commands.Tokens.class),
            new Subcommand("webhooks", dev.vsa.cli.commands.Webhooks.class));

    @Mixin
    StacktraceMixin stacktrace;

    @Override
    protected int run() {
        // "vsa" alone: show what there is to run, as a usage error.
        spec.commandLine().usage(err());
        return ExitCodes.USAGE;
    }
}
