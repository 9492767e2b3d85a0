package dev.vsa.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.output.Table;
import dev.vsa.cli.remote.ApiClient;
import dev.vsa.cli.remote.RemoteCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vsa scenes show ID}: one scene's status, metadata, validation and files. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Show a scene: status, progress, metadata, validation summary and its files."},
        footerHeading = "%nExamples:%n", footer = {"  vsa scenes show 3f2a...", "  vsa scenes show 3f2a... --json"})
public final class ScenesShow extends RemoteCommand {
    @Parameters(paramLabel = "ID", description = "The scene id.")
    String id;

    @Override
    protected int call(ApiClient client) throws Exception {
        JsonNode s = client.scene(id);
        if (json.json()) {
            Json.print(out(), s);
            return ExitCodes.OK;
        }
        out().println("scene    " + s.path("id").asText());
        out().println("file     " + s.path("filename").asText() + " (" + s.path("format").asText() + ", "
                + Table.bytes(s.path("size").asLong()) + ")");
        out().println("status   " + s.path("status").asText() + " (" + s.path("progress").asInt() + "%"
                + (s.path("stage").isTextual() ? ", " + s.path("stage").asText() : "") + ")");
        if (s.path("error").isTextual()) {
            out().println("error    " + s.path("error").asText());
        }
        JsonNode v = s.path("validation");
        if (v.isObject()) {
            out().println("validation " + Json.MAPPER.writeValueAsString(v).replaceAll("\\s+", " "));
        }
        JsonNode m = s.path("metadata");
        if (m.isObject()) {
            out().println("metadata " + Json.MAPPER.writeValueAsString(m).replaceAll("\\s+", " "));
        }
        if (s.path("files").size() > 0) {
            Table t = new Table("name", "kind", "size");
            for (JsonNode f : s.path("files")) {
                t.row(f.path("name").asText(), f.path("kind").asText(), Table.bytes(f.path("size").asLong()));
            }
            out().println();
            t.print(out());
        }
        return ExitCodes.OK;
    }
}
