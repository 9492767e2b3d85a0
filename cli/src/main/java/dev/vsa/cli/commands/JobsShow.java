package dev.vsa.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.remote.ApiClient;
import dev.vsa.cli.remote.RemoteCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vsa jobs show ID}: a job's state and progress. */
@Command(name = "show", mixinStandardHelpOptions = true, description = {"Show a job's state and progress."},
        footerHeading = "%nExamples:%n", footer = {"  vsa jobs show 9c1e...", "  vsa jobs show 9c1e... --json"})
public final class JobsShow extends RemoteCommand {
    @Parameters(paramLabel = "ID", description = "The job id.")
    String id;

    @Override
    protected int call(ApiClient client) throws Exception {
        JsonNode j = client.job(id);
        if (json.json()) {
            Json.print(out(), j);
        } else {
            out().println(describe(j));
        }
        return ExitCodes.OK;
    }

    static String describe(JsonNode j) {
        return "job " + j.path("id").asText() + " (" + j.path("kind").asText() + ", scene "
                + j.path("scene_id").asText() + "): " + j.path("state").asText() + " " + j.path("progress").asInt()
                + "%" + (j.path("stage").isTextual() ? " " + j.path("stage").asText() : "")
                + (j.path("error").isTextual() ? ": " + j.path("error").asText() : "");
    }
}
