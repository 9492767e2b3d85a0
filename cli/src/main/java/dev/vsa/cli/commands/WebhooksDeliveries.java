package dev.vsa.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.output.Table;
import dev.vsa.cli.remote.ApiClient;
import dev.vsa.cli.remote.RemoteCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code vsa webhooks deliveries ID}: the delivery log, newest first. */
@Command(name = "deliveries", mixinStandardHelpOptions = true,
        description = {"A webhook's delivery log, newest first: state (pending, delivered, failed), attempts, the "
                + "receiver's last status and error."},
        footerHeading = "%nExamples:%n", footer = {"  vsa webhooks deliveries 7e0a...", "  vsa webhooks deliveries 7e0a... --limit 5 --json"})
public final class WebhooksDeliveries extends RemoteCommand {
    @Parameters(paramLabel = "ID", description = "The webhook's id.")
    String id;

    @Mixin
    LimitMixin limit;

    @Override
    protected int call(ApiClient client) throws Exception {
        JsonNode items = client.webhookDeliveries(id, limit.value()).path("items");
        if (json.json()) {
            Json.print(out(), items);
            return ExitCodes.OK;
        }
        if (items.isEmpty()) {
            out().println("no deliveries yet");
            return ExitCodes.OK;
        }
        Table t = new Table("id", "event", "state", "attempts", "status", "error", "created");
        for (JsonNode d : items) {
            t.row(d.path("id").asText(), d.path("event").asText(), d.path("state").asText(), d.path("attempts").asInt(),
                    d.path("last_status").isNumber() ? d.path("last_status").asText() : "-",
                    d.path("last_error").asText(""), d.path("created_at").asText());
        }
        t.print(out());
        return ExitCodes.OK;
    }
}
