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
    @Parameters(paramLabel = "ID", description = "The scene id, or its first characters (4 or more) when they are unique.")
    String id;

    @Override
    protected int call(ApiClient client) throws Exception {
        JsonNode s = client.scene(client.sceneId(id));
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
            out().println("valid    " + (v.path("valid").asBoolean() ? "yes" : "no") + " ("
                    + Table.count(v.path("numErrors").asInt(), "error") + ", "
                    + Table.count(v.path("numWarnings").asInt(), "warning")
                    + "; full report: validation.json)");
            for (JsonNode e : v.path("firstErrors")) {
                out().println("         " + (e.isTextual() ? e.asText() : e.path("code").asText() + ": " + e.path("message").asText()));
            }
        }
        JsonNode m = s.path("metadata");
        if (m.isObject()) {
            // The headline facts; every column's statistics are in --json.
            out().println("kind     " + m.path("kind").asText("?") + (m.hasNonNull("splatCount")
                    ? ", " + Table.count(m.path("splatCount").asLong(), "splat") + ", SH degree " + m.path("shDegree").asInt() : ""));
            if (m.hasNonNull("vertexCount")) {
                out().println("mesh     " + Table.count(m.path("vertexCount").asLong(), "vertex", "vertices") + ", "
                        + Table.count(m.path("triangleCount").asLong(), "triangle") + ", "
                        + Table.count(m.path("meshCount").asInt(), "mesh", "meshes"));
            }
            JsonNode b = m.path("bounds");
            if (b.path("min").isArray() && b.path("max").isArray()) {
                out().println("bounds   " + vector(b.path("min")) + " .. " + vector(b.path("max")));
            }
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

    /** {@code [-2.721, -3.186, -1.495]}: four significant digits, as {@code vsa inspect} prints a bounding box. */
    private static String vector(JsonNode a) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        a.forEach(v -> parts.add(v.isNumber() ? String.format(java.util.Locale.ROOT, "%.4g", v.asDouble()) : v.asText()));
        return "[" + String.join(", ", parts) + "]";
    }
}
