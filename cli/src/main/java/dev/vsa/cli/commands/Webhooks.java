package dev.vsa.cli.commands;

import picocli.CommandLine.Command;

/** {@code vsa webhooks}: endpoints that get scene events; alone, lists them. */
@Command(name = "webhooks", mixinStandardHelpOptions = true,
        description = {"Endpoints the server POSTs scene events to (scene.ready, scene.invalid, scene.failed, "
                + "scene.deleted), signed as Standard Webhooks specifies (webhook-id, webhook-timestamp, "
                + "webhook-signature headers; verify with any Standard Webhooks library and the secret).",
                "Without a subcommand: list them."},
        subcommands = {WebhooksList.class, WebhooksAdd.class, WebhooksRm.class, WebhooksRotate.class,
                WebhooksTest.class, WebhooksDeliveries.class},
        footerHeading = "%nExamples:%n",
        footer = {"  vsa webhooks add https://ci.example.com/hooks/vsa --event scene.ready --event scene.failed",
                  "  vsa webhooks", "  vsa webhooks test 7e0a...", "  vsa webhooks deliveries 7e0a..."})
public final class Webhooks extends WebhooksListing {
}
