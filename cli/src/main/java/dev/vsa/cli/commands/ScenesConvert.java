package dev.vsa.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.remote.ApiClient;
import dev.vsa.cli.remote.RemoteCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vsa scenes convert ID --to FORMAT}: queues a conversion on the server. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Ask the server to convert a ready scene to another format; the output joins the scene's files "
                + "('vsa scenes download ID').", "With --wait, follows the job: exit 1 if it fails."},
        footerHeading = "%nExamples:%n",
        footer = {"  vsa scenes convert 3f2a --to ply --wait", "  vsa scenes convert 3f2a... --to splat --json"})
public final class ScenesConvert extends RemoteCommand {
    @Parameters(paramLabel = "ID", description = "The scene id, or its first characters (4 or more) when they are unique.")
    String id;

    @Option(names = "--to", paramLabel = "FORMAT", required = true,
            description = "The output format, as the server offers it (e.g. spz, glb, ply, splat).")
    String to;

    @Option(names = "--wait", description = "Follow the job to its end (exit 1 if it fails).")
    boolean await;

    @Override
    protected int call(ApiClient client) throws Exception {
        String scene = client.sceneId(id);
        JsonNode queued = client.convert(scene, to);
        JsonNode result = queued;
        if (await) {
            result = client.waitJob(queued.path("job_id").asText(), j -> { });
        }
        if (json.json()) {
            Json.print(out(), result);
        } else if (await) {
            out().println("job " + result.path("id").asText() + " " + result.path("state").asText()
                    + (result.path("error").isTextual() ? ": " + result.path("error").asText() : ""));
        } else {
            out().println("queued job " + queued.path("job_id").asText() + " (vsa jobs wait " + queued.path("job_id").asText() + ")");
        }
        return await && !"succeeded".equals(result.path("state").asText()) ? ExitCodes.INVALID : ExitCodes.OK;
    }
}
