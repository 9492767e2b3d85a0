package dev.vsa.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.output.Table;
import dev.vsa.cli.remote.ApiClient;
import dev.vsa.cli.remote.RemoteCommand;
import picocli.CommandLine.Option;

/** Lists the signed-in user's scenes, newest first: shared by {@code vsa scenes} and {@code vsa scenes list}. */
abstract class ScenesListing extends RemoteCommand {
    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "Show at most N scenes (pages of 100 are fetched as needed). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    protected int call(ApiClient client) throws Exception {
        if (limit < 1) {
            throw new IllegalArgumentException("--limit must be >= 1, was " + limit);
        }
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        String cursor = null;
        do {
            JsonNode page = client.scenes(Math.min(100, limit - all.size()), cursor);
            page.path("items").forEach(all::add);
            cursor = page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
        } while (cursor != null && all.size() < limit);
        if (json.json()) {
            Json.print(out(), all);
            return ExitCodes.OK;
        }
        if (all.isEmpty()) {
            out().println("no scenes yet: vsa upload FILE");
            return ExitCodes.OK;
        }
        Table t = new Table("id", "file", "format", "size", "status", "created");
        for (JsonNode s : all) {
            t.row(s.path("id").asText(), s.path("filename").asText(), s.path("format").asText(),
                    Table.bytes(s.path("size").asLong()), s.path("status").asText(), s.path("created_at").asText());
        }
        t.print(out());
        return ExitCodes.OK;
    }
}
