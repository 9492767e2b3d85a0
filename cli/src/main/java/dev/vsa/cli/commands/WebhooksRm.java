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

/** {@code vsa webhooks rm ID...}. */
@Command(name = "rm", mixinStandardHelpOptions = true,
        description = {"Delete webhooks with their delivery logs; queued deliveries are dropped."},
        footerHeading = "%nExamples:%n", footer = {"  vsa webhooks rm 7e0a..."})
public final class WebhooksRm extends RemoteCommand {
    @Parameters(paramLabel = "ID", arity = "1..*", description = "Webhook ids (from 'vsa webhooks').")
    List<String> ids;

    @Override
    protected int call(ApiClient client) throws Exception {
        List<String> deleted = new ArrayList<>();
        for (String id : ids) {
            client.deleteWebhook(id);
            deleted.add(id);
            if (!json.json()) {
                out().println("deleted " + id);
            }
        }
        if (json.json()) {
            Json.print(out(), Map.of("deleted", deleted));
        }
        return ExitCodes.OK;
    }
}
