package dev.vsa.cli.commands;

import dev.vsa.cli.BaseCommand;
import dev.vsa.cli.ExitCodes;
import picocli.CommandLine.Command;

/** {@code vsa jobs}: processing jobs on a vsa server. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = {"Processing jobs on a vsa server (ids from 'vsa upload' and 'vsa scenes show')."},
        subcommands = {JobsList.class, JobsShow.class, JobsWait.class},
        footerHeading = "%nExamples:%n", footer = {"  vsa jobs list", "  vsa jobs show 9c1e...", "  vsa jobs wait 9c1e..."})
public final class Jobs extends BaseCommand {
    @Override
    protected int run() {
        spec.commandLine().usage(err());
        return ExitCodes.USAGE;
    }
}
