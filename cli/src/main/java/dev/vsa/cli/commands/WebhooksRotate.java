package dev.vsa.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.remote.ApiClient;
import dev.vsa.cli.remote.RemoteCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vsa webhooks rotate ID}: a new secret; the old one signs beside it for 24 hours. */
@Command(name = "rotate", mixinStandardHelpOptions = true,
        description = {"Give a webhook a new secret (printed once). For 24 hours deliveries carry two signatures, "
                + "one per secret, so the receiver can switch over without rejecting any."},
        footerHeading = "%nExamples:%n", footer = {"  vsa webhooks rotate 7e0a..."})
public final class WebhooksRotate extends RemoteCommand {
    @Parameters(paramLabel = "ID", description = "The webhook's id.")
    String id;

    @Override
    protected int call(ApiClient client) throws Exception {
        JsonNode w = client.rotateWebhookSecret(id);
        if (json.json()) {
            Json.print(out(), w);
        } else {
            out().println(w.path("secret").asText());
            err().println("the previous secret also signs until " + w.path("previous_secret_until").asText());
        }
        return ExitCodes.OK;
    }
}
