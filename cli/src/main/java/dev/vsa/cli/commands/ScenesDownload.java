package dev.vsa.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.QuietMixin;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.output.Progress;
import dev.vsa.cli.output.Table;
import dev.vsa.cli.remote.ApiClient;
import dev.vsa.cli.remote.RemoteCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code vsa scenes download ID}: fetches a scene's files. */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Download a scene's files: its outputs (converted and reports) by default, one file with "
                + "--file, or all with --all. --output is a directory (made if missing), or a file name when one "
                + "file is fetched."},
        footerHeading = "%nExamples:%n",
        footer = {"  vsa scenes download 3f2a... --output out/", "  vsa scenes download 3f2a... --file scene.spz --output a.spz"})
public final class ScenesDownload extends RemoteCommand {
    @Parameters(paramLabel = "ID", description = "The scene id, or its first characters (4 or more) when they are unique.")
    String id;

    @Option(names = {"-o", "--output"}, paramLabel = "PATH", description = "Directory (or file, for one file). Default: the current directory.")
    Path output;

    @Option(names = "--file", paramLabel = "NAME", description = "Only this file (a name from 'vsa scenes show').")
    String file;

    @Option(names = "--all", description = "Originals too.")
    boolean all;

    @Mixin
    QuietMixin quiet;

    @Override
    protected int call(ApiClient client) throws Exception {
        id = client.sceneId(id);
        id = client.sceneId(id);
        JsonNode scene = client.scene(id);
        List<JsonNode> wanted = new ArrayList<>();
        for (JsonNode f : scene.path("files")) {
            String name = f.path("name").asText();
            boolean original = f.path("kind").asText().equals("original");
            if (file != null ? name.equals(file) : (all || !original)) {
                wanted.add(f);
            }
        }
        if (file != null && wanted.isEmpty()) {
            throw new IllegalArgumentException("scene " + id + " has no file '" + file + "'");
        }
        if (wanted.isEmpty()) {
            // Nothing processed yet (or nothing beyond the original): fetch the original rather than nothing.
            for (JsonNode f : scene.path("files")) {
                wanted.add(f);
            }
        }
        Path base = output == null ? Path.of(".") : output;
        boolean single = wanted.size() == 1 && output != null && !Files.isDirectory(output)
                && !output.toString().endsWith("/");
        List<Map<String, Object>> done = new ArrayList<>();
        for (JsonNode f : wanted) {
            String name = f.path("name").asText();
            Path target = single ? base : base.resolve(name.substring(name.lastIndexOf('/') + 1));
            long size = f.path("size").asLong();
            long n;
            try (Progress bar = Progress.start("download " + name, size, !quiet.quiet() && !json.json())) {
                n = client.download(id, name, target, d -> bar.progress(Math.min(d, size), size));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("path", target.toString());
            m.put("size", n);
            done.add(m);
            if (!json.json()) {
                out().println(name + " -> " + target + " (" + Table.bytes(n) + ")");
            }
        }
        if (json.json()) {
            Json.print(out(), done);
        }
        return ExitCodes.OK;
    }
}
