package dev.vsa.cli.commands;

import picocli.CommandLine.Command;

/** {@code vsa jobs list}: recent jobs, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true, description = {"List your recent jobs, newest first."},
        footerHeading = "%nExamples:%n", footer = {"  vsa jobs list", "  vsa jobs list --scene 3f2a --json"})
public final class JobsList extends JobsListing {
}
