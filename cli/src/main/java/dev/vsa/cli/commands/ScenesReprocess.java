package dev.vsa.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.ProcessingMixin;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.remote.ApiClient;
import dev.vsa.cli.remote.RemoteCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vsa scenes reprocess ID [options]}: processes a scene again with new processing options. */
@Command(name = "reprocess", mixinStandardHelpOptions = true,
        description = {"Process a scene again on the server with new processing options (those 'vsa upload' takes). "
                + "The original is kept; the scene's outputs are replaced when the new job succeeds (until then the "
                + "old ones stay downloadable), and its end fires the same webhooks as a first processing. A scene "
                + "still processing is refused (exit 3, HTTP 409).",
                "With --wait, follows the job: exit 1 if the scene ends invalid or failed."},
        footerHeading = "%nExamples:%n",
        footer = {"  vsa scenes reprocess 3f2a --outputs spz --spz-version 3 --wait",
                  "  vsa scenes reprocess 3f2a --outputs ply,preview --from-frame RUB --to-frame RDF --json",
                  "  vsa scenes reprocess 3f2a          (again with the defaults: spz, glb, preview)",
                  "", ProcessingMixin.HELP})
public final class ScenesReprocess extends RemoteCommand {
    @Parameters(paramLabel = "ID", description = "The scene id, or its first characters (4 or more) when they are unique.")
    String id;

    @Mixin
    ProcessingMixin processing;

    @Option(names = "--wait", description = "Follow the job to its end (exit 1 if the scene ends invalid or failed).")
    boolean await;

    @Override
    protected int call(ApiClient client) throws Exception {
        JsonNode options = processing.json();
        String scene = client.sceneId(id);
        JsonNode queued = client.reprocess(scene, options);
        JsonNode result = queued;
        if (await) {
            client.waitJob(queued.path("job_id").asText(), j -> { });
            result = client.scene(scene);
        }
        if (json.json()) {
            Json.print(out(), result);
        } else if (await) {
            out().println("scene " + scene + " " + result.path("status").asText()
                    + (result.path("error").isTextual() ? ": " + result.path("error").asText() : ""));
        } else {
            out().println("queued job " + queued.path("job_id").asText() + " (vsa jobs wait "
                    + queued.path("job_id").asText() + ")");
        }
        return await && !"ready".equals(result.path("status").asText()) ? ExitCodes.INVALID : ExitCodes.OK;
    }
}
