package dev.vsa.cli.commands;

import picocli.CommandLine.Command;

/** {@code vsa webhooks list}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = {"List your webhooks."},
        footerHeading = "%nExamples:%n", footer = {"  vsa webhooks list --json"})
public final class WebhooksList extends WebhooksListing {
}
