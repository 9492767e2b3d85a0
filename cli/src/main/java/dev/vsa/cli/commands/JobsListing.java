package dev.vsa.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.output.Table;
import dev.vsa.cli.remote.ApiClient;
import dev.vsa.cli.remote.RemoteCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Lists the signed-in user's recent jobs, newest first: shared by {@code vsa jobs} and {@code vsa jobs list}. */
abstract class JobsListing extends RemoteCommand {
    @Option(names = "--scene", paramLabel = "ID", description = "Only this scene's jobs (an id or its first 4+ characters).")
    String scene;

    @Mixin
    LimitMixin limit;

    @Override
    protected int call(ApiClient client) throws Exception {
        JsonNode items = client.jobs(scene == null ? null : client.sceneId(scene), limit.value()).path("items");
        if (json.json()) {
            Json.print(out(), items);
            return ExitCodes.OK;
        }
        if (items.isEmpty()) {
            out().println("no jobs yet: vsa upload FILE");
            return ExitCodes.OK;
        }
        Table t = new Table("id", "kind", "scene", "state", "progress", "created");
        for (JsonNode j : items) {
            t.row(j.path("id").asText(), j.path("kind").asText(), j.path("scene_id").asText(), j.path("state").asText(),
                    j.path("progress").asInt() + "%", j.path("created_at").asText());
        }
        t.print(out());
        return ExitCodes.OK;
    }
}
