package dev.vsa.cli.commands;

import picocli.CommandLine.Command;

/** {@code vsa jobs}: processing jobs on a vsa server; alone, lists them. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = {"Processing jobs on a vsa server (ids from 'vsa upload' and 'vsa scenes show').",
                "Without a subcommand: list them."},
        subcommands = {JobsList.class, JobsShow.class, JobsWait.class},
        footerHeading = "%nExamples:%n", footer = {"  vsa jobs", "  vsa jobs show 9c1e...", "  vsa jobs wait 9c1e..."})
public final class Jobs extends JobsListing {
}
