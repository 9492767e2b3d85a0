package dev.vsa.cli.commands;

import picocli.CommandLine.Command;

/** {@code vsa tokens list}: the signed-in user's tokens (never their secrets). */
@Command(name = "list", mixinStandardHelpOptions = true, description = {"List your personal access tokens."},
        footerHeading = "%nExamples:%n", footer = {"  vsa tokens list", "  vsa tokens list --json"})
public final class TokensList extends TokensListing {
}
