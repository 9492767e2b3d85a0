package dev.vsa.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.output.Table;
import dev.vsa.cli.remote.ApiClient;
import dev.vsa.cli.remote.RemoteCommand;
import picocli.CommandLine.Command;

/** Lists the signed-in user's webhooks: shared by {@code vsa webhooks} and {@code vsa webhooks list}. */
abstract class WebhooksListing extends RemoteCommand {
    @Override
    protected int call(ApiClient client) throws Exception {
        JsonNode items = client.webhooks().path("items");
        if (json.json()) {
            Json.print(out(), items);
            return ExitCodes.OK;
        }
        if (items.isEmpty()) {
            out().println("no webhooks yet: vsa webhooks add URL");
            return ExitCodes.OK;
        }
        Table t = new Table("id", "url", "events", "description");
        for (JsonNode w : items) {
            t.row(w.path("id").asText(), w.path("url").asText(), String.join(" ", TokensListing.texts(w.path("events"))),
                    w.path("description").asText());
        }
        t.print(out());
        return ExitCodes.OK;
    }
}
