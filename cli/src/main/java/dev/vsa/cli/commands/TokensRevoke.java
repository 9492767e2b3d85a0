package dev.vsa.cli.commands;

import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.remote.ApiClient;
import dev.vsa.cli.remote.RemoteCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code vsa tokens revoke ID...}: requests with the tokens fail at once. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Revoke tokens: requests made with them get 401 at once."},
        footerHeading = "%nExamples:%n", footer = {"  vsa tokens revoke 5d1c..."})
public final class TokensRevoke extends RemoteCommand {
    @Parameters(paramLabel = "ID", arity = "1..*", description = "Token ids (from 'vsa tokens').")
    List<String> ids;

    @Override
    protected int call(ApiClient client) throws Exception {
        List<String> revoked = new ArrayList<>();
        for (String id : ids) {
            client.revokeToken(id);
            revoked.add(id);
            if (!json.json()) {
                out().println("revoked " + id);
            }
        }
        if (json.json()) {
            Json.print(out(), Map.of("revoked", revoked));
        }
        return ExitCodes.OK;
    }
}
