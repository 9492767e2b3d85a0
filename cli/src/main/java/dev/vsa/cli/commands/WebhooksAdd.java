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

/** {@code vsa webhooks add URL}: prints the signing secret once. */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = {"Add a webhook. Its signing secret (whsec_...) is printed once. The URL's host must resolve; "
                + "one that resolves to a private or loopback address is refused unless the server allows it "
                + "(VSA_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true, for local setups)."},
        footerHeading = "%nExamples:%n",
        footer = {"  vsa webhooks add https://ci.example.com/hooks/vsa",
                  "  vsa webhooks add https://ci.example.com/hooks/vsa --event scene.ready --description nightly"})
public final class WebhooksAdd extends RemoteCommand {
    @Parameters(paramLabel = "URL", description = "Where to POST events (http or https).")
    String url;

    @Option(names = "--event", paramLabel = "TYPE", completionCandidates = EventCandidates.class,
            // the names first: wrapped inside the list, picocli may cut "scene." from "deleted"
            description = "Event to send: ${COMPLETION-CANDIDATES}; repeat for several (default: all).")
    List<String> events = List.of();

    @Option(names = "--description", paramLabel = "TEXT", description = "A note for yourself.")
    String description;

    /** The event types the server sends. */
    static final class EventCandidates implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return dev.vsa.processing.WebhookService.EVENTS.iterator();
        }
    }

    @Override
    protected int call(ApiClient client) throws Exception {
        JsonNode made = client.createWebhook(url, description, events);
        if (json.json()) {
            Json.print(out(), made);
            return ExitCodes.OK;
        }
        out().println(made.path("secret").asText());
        err().println("webhook " + made.path("id").asText() + " -> " + made.path("url").asText()
                + ": the secret above is shown this once; 'vsa webhooks test " + made.path("id").asText() + "' sends a ping");
        return ExitCodes.OK;
    }
}
