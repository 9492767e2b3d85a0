package dev.vsa.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.output.Table;
import dev.vsa.cli.remote.ApiClient;
import dev.vsa.cli.remote.RemoteCommand;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/** Lists the signed-in user's tokens: shared by {@code vsa tokens} and {@code vsa tokens list}. */
abstract class TokensListing extends RemoteCommand {
    @Override
    protected int call(ApiClient client) throws Exception {
        JsonNode items = client.tokens().path("items");
        if (json.json()) {
            Json.print(out(), items);
            return ExitCodes.OK;
        }
        if (items.isEmpty()) {
            out().println("no tokens yet: vsa tokens create NAME --scope scenes:read");
            return ExitCodes.OK;
        }
        Table t = new Table("id", "name", "scopes", "state", "expires", "last used");
        for (JsonNode k : items) {
            String state = k.path("revoked_at").isTextual() ? "revoked" : k.path("active").asBoolean() ? "active" : "expired";
            t.row(k.path("id").asText(), k.path("name").asText(), String.join(" ", texts(k.path("scopes"))), state,
                    k.path("expires_at").asText("never"), k.path("last_used_at").asText("never"));
        }
        t.print(out());
        return ExitCodes.OK;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
