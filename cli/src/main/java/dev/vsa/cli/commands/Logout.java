package dev.vsa.cli.commands;

import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.remote.ApiClient;
import dev.vsa.cli.remote.RemoteCommand;
import picocli.CommandLine.Command;

import java.util.Map;

/** {@code vsa logout}: revokes the session's refresh token and forgets the tokens. */
@Command(name = "logout", mixinStandardHelpOptions = true,
        description = {"Sign out: the server revokes the refresh token and the local tokens are deleted."},
        footerHeading = "%nExamples:%n",
        footer = {"  vsa logout", "  vsa logout --server https://vsa.example.com"})
public final class Logout extends RemoteCommand {
    @Override
    protected int call(ApiClient client) throws Exception {
        boolean had = client.logout();
        if (json.json()) {
            Json.print(out(), Map.of("server", client.server(), "logged_out", had));
        } else {
            out().println(had ? "logged out of " + client.server() : "not logged in to " + client.server());
        }
        return ExitCodes.OK;
    }
}
