package dev.vsa.cli.commands;

import picocli.CommandLine.Command;

/** {@code vsa scenes list}: your scenes, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true, description = {"List your scenes, newest first."},
        footerHeading = "%nExamples:%n", footer = {"  vsa scenes list", "  vsa scenes list --limit 200 --json"})
public final class ScenesList extends ScenesListing {
}
