package dev.vsa.cli.commands;

import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.remote.ApiClient;
import dev.vsa.cli.remote.RemoteCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code vsa scenes rm ID...}: deletes scenes with all their files. */
@Command(name = "rm", mixinStandardHelpOptions = true,
        description = {"Delete scenes, their jobs and all their stored files."},
        footerHeading = "%nExamples:%n", footer = {"  vsa scenes rm 3f2a...", "  vsa scenes rm 3f2a... 8b0c..."})
public final class ScenesRm extends RemoteCommand {
    @Parameters(paramLabel = "ID", arity = "1..*", description = "Scene ids, or their first characters (4 or more) when unique.")
    List<String> ids;

    @Override
    protected int call(ApiClient client) throws Exception {
        List<String> deleted = new ArrayList<>();
        for (String given : ids) {
            String id = client.sceneId(given);
            client.deleteScene(id);
            deleted.add(id);
            if (!json.json()) {
                out().println("deleted " + id);
            }
        }
        if (json.json()) {
            Json.print(out(), java.util.Map.of("deleted", deleted));
        }
        return ExitCodes.OK;
    }
}
