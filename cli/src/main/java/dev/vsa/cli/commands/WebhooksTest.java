package dev.vsa.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.remote.ApiClient;
import dev.vsa.cli.remote.RemoteCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vsa webhooks test ID}: queues a webhook.test event. */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Send a webhook.test event to the webhook; 'vsa webhooks deliveries ID' shows how it went."},
        footerHeading = "%nExamples:%n", footer = {"  vsa webhooks test 7e0a..."})
public final class WebhooksTest extends RemoteCommand {
    @Parameters(paramLabel = "ID", description = "The webhook's id.")
    String id;

    @Override
    protected int call(ApiClient client) throws Exception {
        JsonNode r = client.testWebhook(id);
        if (json.json()) {
            Json.print(out(), r);
        } else {
            out().println("queued delivery " + r.path("delivery_id").asText());
        }
        return ExitCodes.OK;
    }
}
