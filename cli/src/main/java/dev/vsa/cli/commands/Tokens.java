package dev.vsa.cli.commands;

import picocli.CommandLine.Command;

/** {@code vsa tokens}: personal access tokens for pipelines; alone, lists them. */
@Command(name = "tokens", mixinStandardHelpOptions = true,
        description = {"Personal access tokens for CI and scripts: scoped, optionally expiring, revocable.",
                "Managing them needs 'vsa login' (a token cannot manage tokens). A pipeline then uses one with",
                "VSA_TOKEN=vsa_pat_... vsa upload FILE (or --token-file FILE), or curl -H 'Authorization: Bearer vsa_pat_...'.",
                "Without a subcommand: list them."},
        subcommands = {TokensList.class, TokensCreate.class, TokensRevoke.class},
        footerHeading = "%nExamples:%n",
        footer = {"  vsa tokens create ci --scope scenes:read --scope scenes:write --expires-in-days 90",
                  "  vsa tokens", "  vsa tokens revoke 5d1c..."})
public final class Tokens extends TokensListing {
}
