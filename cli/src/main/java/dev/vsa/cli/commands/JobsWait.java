package dev.vsa.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.QuietMixin;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.output.Progress;
import dev.vsa.cli.remote.ApiClient;
import dev.vsa.cli.remote.RemoteCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code vsa jobs wait ID}: follows a job to its end. */
@Command(name = "wait", mixinStandardHelpOptions = true,
        description = {"Follow a job until it ends; exit 1 if it failed."},
        footerHeading = "%nExamples:%n", footer = {"  vsa jobs wait 9c1e...", "  vsa jobs wait 9c1e... --json"})
public final class JobsWait extends RemoteCommand {
    @Parameters(paramLabel = "ID", description = "The job id.")
    String id;

    @Mixin
    QuietMixin quiet;

    @Override
    protected int call(ApiClient client) throws Exception {
        JsonNode j;
        try (Progress bar = Progress.start("job", 100, !quiet.quiet() && !json.json())) {
            j = client.waitJob(id, e -> bar.progress(e.path("progress").asLong(), 100));
        }
        if (json.json()) {
            Json.print(out(), j);
        } else {
            out().println(JobsShow.describe(j));
        }
        return j.path("state").asText().equals("succeeded") ? ExitCodes.OK : ExitCodes.INVALID;
    }
}
