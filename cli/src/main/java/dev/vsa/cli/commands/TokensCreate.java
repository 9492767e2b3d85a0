package dev.vsa.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.remote.ApiClient;
import dev.vsa.cli.remote.RemoteCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code vsa tokens create NAME --scope S...}: makes a token and prints its secret once. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Make a personal access token. Its secret is printed once: store it in your CI's secrets.",
                "Scopes: scenes:read (list, show, download, jobs), scenes:write (upload, convert, delete), webhooks."},
        footerHeading = "%nExamples:%n",
        footer = {"  vsa tokens create github-actions --scope scenes:read --scope scenes:write",
                  "  vsa tokens create nightly --scope scenes:read --expires-in-days 30 --json"})
public final class TokensCreate extends RemoteCommand {
    @Parameters(paramLabel = "NAME", description = "What the token is for (shown in 'vsa tokens').")
    String name;

    @Option(names = "--scope", paramLabel = "SCOPE", required = true,
            completionCandidates = ScopeCandidates.class,
            description = "A scope to grant; repeat for several: ${COMPLETION-CANDIDATES}.")
    List<String> scopes;

    @Option(names = "--expires-in-days", paramLabel = "N",
            description = "Expire after N days (1..3650). Default: never.")
    Integer expiresInDays;

    /** The scopes the server knows. */
    static final class ScopeCandidates implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("scenes:read", "scenes:write", "webhooks").iterator();
        }
    }

    @Override
    protected int call(ApiClient client) throws Exception {
        JsonNode made = client.createToken(name, scopes, expiresInDays);
        if (json.json()) {
            Json.print(out(), made);
            return ExitCodes.OK;
        }
        out().println(made.path("token").asText());
        err().println("token " + made.path("id").asText() + " (" + String.join(" ", TokensListing.texts(made.path("scopes")))
                + ", expires " + made.path("expires_at").asText("never") + "): shown this once; keep it secret");
        return ExitCodes.OK;
    }
}
