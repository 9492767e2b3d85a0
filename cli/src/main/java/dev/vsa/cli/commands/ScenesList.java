package dev.vsa.cli.commands;

import picocli.CommandLine.Command;

/** {@code vsa scenes list}: your scenes, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true, description = {"List your scenes, newest first."})
public final class ScenesList extends ScenesListing {
}
