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

/**
 * The top-level {@code vsa} command. Every subcommand is registered in the one list below: add a new
 * command's class there (groups are nouns with {@code <Group><Verb>} leaves, e.g. {@code Scenes} with
 * {@code ScenesList}).
 */
@Command(name = "vsa", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Read, validate, convert and process 3D scene files: Gaussian splats (.ply, compressed "
                + ".ply, .splat, .spz, .ksplat, glTF/GLB with KHR_gaussian_splatting) and glTF/GLB meshes.",
        subcommands = {
            HelpCommand.class,
            Demo.class,
            Inspect.class,
            Validate.class,
            Convert.class,
            dev.vsa.cli.commands.Merge.class,
            dev.vsa.cli.commands.Diff.class,
            dev.vsa.cli.commands.Render.class,
            Batch.class,
            Completion.class,
            Shell.class,
            dev.vsa.cli.commands.Serve.class,
            dev.vsa.cli.commands.Worker.class,
            dev.vsa.cli.commands.Signup.class,
            dev.vsa.cli.commands.Login.class,
            dev.vsa.cli.commands.Logout.class,
            dev.vsa.cli.commands.Whoami.class,
            dev.vsa.cli.commands.Upload.class,
            dev.vsa.cli.commands.Scenes.class,
            dev.vsa.cli.commands.Jobs.class,
            dev.vsa.cli.commands.Tokens.class,
            dev.vsa.cli.commands.Webhooks.class,
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  vsa demo                     make, convert, check a sample",
            "  vsa inspect scene.ply        what a file holds",
            "  vsa convert scene.ply scene.spz",
            "  vsa help convert             help on one command",
        })
public final class VsaCommand extends BaseCommand {
    @Mixin
    StacktraceMixin stacktrace;

    @Override
    protected int run() {
        // "vsa" alone: show what there is to run, as a usage error.
        spec.commandLine().usage(err());
        return ExitCodes.USAGE;
    }
}
