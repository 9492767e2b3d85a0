package dev.vsa.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.remote.ApiClient;
import dev.vsa.cli.remote.RemoteCommand;
import picocli.CommandLine.Command;

/** {@code vsa whoami}: the signed-in user. */
@Command(name = "whoami", mixinStandardHelpOptions = true, description = {"Show the user you are signed in as."},
        footerHeading = "%nExamples:%n", footer = {"  vsa whoami", "  vsa whoami --json"})
public final class Whoami extends RemoteCommand {
    @Override
    protected int call(ApiClient client) throws Exception {
        JsonNode me = client.me();
        if (json.json()) {
            Json.print(out(), me);
        } else {
            out().println(me.path("username").asText() + " <" + me.path("email").asText() + "> on " + client.server());
        }
        return ExitCodes.OK;
    }
}
