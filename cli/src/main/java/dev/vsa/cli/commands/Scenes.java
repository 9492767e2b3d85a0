package dev.vsa.cli.commands;

import picocli.CommandLine.Command;

/** {@code vsa scenes}: your scenes on a vsa server; alone, lists them. */
@Command(name = "scenes", mixinStandardHelpOptions = true,
        description = {"Your scenes on a vsa server. Without a subcommand: list them, newest first."},
        subcommands = {ScenesList.class, ScenesShow.class, ScenesConvert.class, ScenesReprocess.class, ScenesRm.class, ScenesDownload.class},
        footerHeading = "%nExamples:%n",
        footer = {"  vsa scenes", "  vsa scenes show 3f2a...", "  vsa scenes download 3f2a... --output out/",
                  "  vsa scenes rm 3f2a..."})
public final class Scenes extends ScenesListing {
}
