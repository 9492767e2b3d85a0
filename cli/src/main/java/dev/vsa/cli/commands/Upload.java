package dev.vsa.cli.commands;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.QuietMixin;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.output.Progress;
import dev.vsa.cli.output.Table;
import dev.vsa.cli.remote.ApiClient;
import dev.vsa.cli.remote.RemoteCommand;
import dev.vsa.cli.remote.RemoteException;
import dev.vsa.cli.remote.ResumeStore;
import dev.vsa.cli.remote.TusUploader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** {@code vsa upload FILE|DIR...}: sends scenes to a vsa server, optionally following their processing. */
@Command(name = "upload", mixinStandardHelpOptions = true,
        description = {"Upload scene files (" + Formats.READABLE + "; glTF/GLB meshes; or a .zip of a glTF and its "
                + "resources, of an unbundled SOG's folder (meta.json and its images) or of a LOD set's folder) to a vsa "
                + "server. A .gltf's external buffers and images are sent with it; an unbundled SOG or a LOD set is not: "
                + "zip its folder, then upload the zip. A directory uploads every scene file directly in it and prints a "
                + "summary table.",
                "With --wait, follows processing to its end: exit 1 if a scene is invalid or its job failed.",
                "With --direct, the file's bytes go straight to the server's S3 bucket instead of through the server: "
                        + "the server hands out one signed URL per part, vsa sends --parallel parts at a time to them, "
                        + "then the server checks the size and SHA-256 and makes the scene. Only for servers that keep "
                        + "scenes in S3 (others say direct-upload-unavailable: upload without --direct); one file per "
                        + "upload (no .gltf with external files, no .zip).",
                "Otherwise a single file larger than --resumable-above goes as a resumable upload (the tus protocol): "
                        + "when the connection drops, vsa asks the server how far it got and sends only the rest, "
                        + "pausing longer between tries (--retries). If vsa itself is stopped, run the same command with "
                        + "--resume to go on: the upload is remembered (in ~/.vsa/uploads, or $VSA_HOME/uploads) by the "
                        + "file's path, size and modification time, with the upload's Idempotency-Key, so no run or "
                        + "retry makes a second scene. A plain upload sends one too: the server answers a request sent "
                        + "again (after a token refresh) with the scene the first made."},
        footerHeading = "%nExamples:%n",
        footer = {"  vsa upload scene.ply --wait", "  vsa upload captures/ --wait --json",
                "  vsa upload big.ply --direct --parallel 8",
                "  vsa upload scene.ply --outputs spz,glb --spz-version 3 -t filter-nan --from-frame RUB --to-frame RDF",
                "  vsa upload big.ply --resume          # go on with an upload an earlier run did not finish",
                "", dev.vsa.cli.ProcessingMixin.HELP})
public final class Upload extends RemoteCommand {
    /** File endings a directory upload picks up. */
    static final Set<String> SCENE_ENDINGS = Set.of(".splat", ".ply", ".spz", ".glb", ".gltf", ".ksplat", ".sog",
            ".zip");

    @Parameters(paramLabel = "FILE|DIR", arity = "1..*", description = "Scene files or directories of them.")
    List<Path> inputs;

    @Option(names = "--wait", description = "Follow processing to its end (exit 1 if invalid or failed).")
    boolean waitForJob;

    @Option(names = "--direct", description = "Send the bytes straight to the server's S3 bucket through signed part "
            + "URLs (the server only opens and completes the upload).")
    boolean direct;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
            description = "With --direct: parts sent at once (1..64). Default: ${DEFAULT-VALUE}.")
    int parallel;

    @Option(names = "--resume", description = "Go on with this file's upload that an earlier run left unfinished "
            + "(remembered by path, size and modification time); if there is none, says so and starts a new one.")
    boolean resume;

    @Option(names = "--resumable-above", paramLabel = "SIZE", defaultValue = "8MiB",
            converter = SizeConverter.class,
            description = "Send a single file larger than SIZE as a resumable upload (bytes, or with KiB, MiB, GiB; "
                    + "0: always). Default: ${DEFAULT-VALUE}.")
    long resumableAbove;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "8",
            description = "Tries after a dropped connection or a busy server before a resumable upload (with --direct: "
                    + "one part) gives up, "
                    + "pausing 1 s, 2 s, 4 s ... (at most 30 s) between them. Default: ${DEFAULT-VALUE}.")
    int retries;

    @Option(names = "--resume-dir", paramLabel = "DIR", hidden = true,
            description = "Remember unfinished uploads in DIR instead of ~/.vsa/uploads (tests).")
    Path resumeDir;

    @Mixin
    QuietMixin quiet;

    @Mixin
    dev.vsa.cli.ProcessingMixin processing;

    /** One row of the result; in JSON its ids carry the API's names ({@code scene_id}, {@code job_id}). */
    record Result(String file, @JsonProperty("scene_id") String sceneId, @JsonProperty("job_id") String jobId,
                  String format, Long size, String status, String error,
                  @JsonProperty("processing_options") JsonNode processingOptions,
                  @JsonProperty("resumed_from") @com.fasterxml.jackson.annotation.JsonInclude(
                          com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Long resumedFrom) {
        /** Only a resumable upload says from which byte this run went on (0: it started the upload). */
        Result(String file, String sceneId, String jobId, String format, Long size, String status, String error) {
            this(file, sceneId, jobId, format, size, status, error, null, null);
        }
    }

    @Override
    protected int call(ApiClient client) throws Exception {
        List<Path> files = new ArrayList<>();
        boolean table = inputs.size() > 1;
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                table = true;
                try (Stream<Path> s = Files.list(in)) {
                    s.filter(Files::isRegularFile).filter(p -> SCENE_ENDINGS.contains(ending(p))).sorted().forEach(files::add);
                }
            } else {
                files.add(dev.vsa.cli.InputFiles.requireRegular(in)); // missing: exit 3, as everywhere
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no scene files in " + inputs);
        }
        if (resume && direct) {
            throw new IllegalArgumentException("--resume goes on with a resumable upload, which --direct does not make: "
                    + "drop one of them");
        }
        JsonNode options = processing.json(); // a bad option: a usage error before anything is sent
        List<Result> results = new ArrayList<>();
        int exit = ExitCodes.OK;
        for (Path f : files) {
            Result r;
            int code;
            try {
                r = one(client, f, options);
                code = switch (r.status()) {
                    case "ready", "uploaded", "processing" -> ExitCodes.OK;
                    default -> ExitCodes.INVALID; // invalid or failed (--wait)
                };
            } catch (RemoteException e) {
                if (e.status() == 0 || e.status() == 401 || e.status() == 403) {
                    throw e; // not logged in, or a token without the scope: the same for every file
                }
                // the code every command gives this refusal (a file refused 1, a value 2, the server's state 3)
                code = exitCode(e);
                r = new Result(f.toString(), null, null, null, null, "rejected", e.getMessage()
                        + " (HTTP " + e.status() + (e.type() == null ? "" : " " + e.type()) + ")");
            } catch (IOException e) {
                r = new Result(f.toString(), null, null, null, null, "error", e.getMessage());
                code = ExitCodes.IO;
            }
            results.add(r);
            exit = worse(exit, code);
        }
        if (json.json()) {
            Json.print(out(), table ? results : results.get(0));
        } else if (table) {
            Table t = new Table("file", "scene", "format", "size", "status", "error");
            for (Result r : results) {
                t.row(r.file(), r.sceneId(), r.format(), r.size() == null ? null : Table.bytes(r.size()), r.status(), r.error());
            }
            t.print(out());
        } else {
            Result r = results.get(0);
            if (r.sceneId() == null) {
                err().println("error: " + r.file() + ": " + r.error());
            } else {
                out().println(r.file() + ": scene " + r.sceneId() + " (" + r.format() + ", " + Table.bytes(r.size())
                        + ") " + r.status() + (r.error() == null ? "" : ": " + r.error())
                        + (r.resumedFrom() == null || r.resumedFrom() == 0 ? ""
                                : " (resumed at byte " + r.resumedFrom() + ")"));
            }
        }
        return exit;
    }

    private Result one(ApiClient client, Path f, JsonNode options) throws IOException, RemoteException {
        List<ApiClient.UploadFile> parts = parts(f);
        long total = 0;
        for (ApiClient.UploadFile p : parts) {
            total += Files.size(p.path());
        }
        boolean bars = !quiet.quiet() && !json.json();
        JsonNode up;
        try (Progress bar = Progress.start("upload " + f.getFileName(), total, bars)) {
            long t = total;
            if (direct) {
                if (parts.size() > 1) {
                    throw new RemoteException(422, "invalid-upload", f + " refers to other files; --direct sends one "
                            + "file: upload it without --direct", null);
                }
                up = new dev.vsa.cli.remote.DirectUploader(client, parallel, retries, java.time.Duration.ofSeconds(1))
                        .upload(f, parts.get(0).name(), options, done -> bar.progress(Math.min(done, t), t));
            } else if (parts.size() == 1 && total > resumableAbove) {
                TusUploader tus = new TusUploader(client, new ResumeStore(resumeDir != null ? resumeDir
                        : dev.vsa.cli.VsaHome.resolve().resolve("uploads")), retries, java.time.Duration.ofSeconds(1));
                up = tus.upload(f, parts.get(0).name(), resume, options, done -> bar.progress(Math.min(done, t), t));
            } else {
                up = client.upload(parts, done -> bar.progress(Math.min(done, t), t), options, ApiClient.newIdempotencyKey());
            }
        }
        if (resume && !up.hasNonNull("resumed_from")) {
            // a new scene where the user asked to go on with an old upload: say so (one line, even with --quiet)
            err().println("note: --resume: " + f + (parts.size() > 1 ? " has external files and" : " is not over "
                    + "--resumable-above (" + Table.bytes(resumableAbove) + ") and") + " went as one plain upload, "
                    + "which cannot be resumed; this made a new scene");
        } else if (up.hasNonNull("not_resumed")) {
            err().println("note: --resume: nothing to go on with for " + f + ": " + up.path("not_resumed").asText()
                    + "; started a new upload");
        }
        String sceneId = up.path("scene_id").asText();
        if (waitForJob) {
            try (Progress bar = Progress.start("process " + f.getFileName(), 100, bars)) {
                client.waitJob(up.path("job_id").asText(), j -> bar.progress(j.path("progress").asLong(), 100));
            }
        }
        // A resumable upload's answer names only the scene: what it is comes from the scene, read once (after
        // processing with --wait, which needs its status and error anyway).
        JsonNode scene = waitForJob || !up.has("format") ? client.scene(sceneId) : up;
        String error = waitForJob && !scene.path("error").isNull() ? scene.path("error").asText(null) : null;
        return new Result(f.toString(), sceneId, up.path("job_id").asText(), scene.path("format").asText(),
                scene.path("size").asLong(), scene.path("status").asText(), error, scene.get("processing_options"),
                up.has("resumed_from") ? up.path("resumed_from").asLong() : null);
    }

    /** The file, and for a .gltf the external resources its buffers and images name (relative, existing). */
    static List<ApiClient.UploadFile> parts(Path f) throws IOException {
        List<ApiClient.UploadFile> parts = new ArrayList<>();
        parts.add(new ApiClient.UploadFile(f, f.getFileName().toString()));
        if (!ending(f).equals(".gltf")) {
            return parts;
        }
        JsonNode gltf;
        try {
            gltf = new ObjectMapper().readTree(f.toFile());
        } catch (IOException e) {
            return parts; // not JSON: the server says what is wrong with it
        }
        Set<String> uris = new LinkedHashSet<>();
        for (String array : List.of("buffers", "images")) {
            for (JsonNode n : gltf.path(array)) {
                String uri = n.path("uri").asText("");
                if (!uri.isEmpty() && !uri.startsWith("data:") && !URI.create(uri.replace(" ", "%20")).isAbsolute()) {
                    uris.add(URLDecoder.decode(uri.replace("+", "%2B"), StandardCharsets.UTF_8));
                }
            }
        }
        Path dir = f.toAbsolutePath().normalize().getParent(); // "../g/x.gltf": its folder without the ".."
        for (String u : uris) {
            Path p = dir.resolve(u).normalize();
            if (p.startsWith(dir) && Files.isRegularFile(p)) {
                parts.add(new ApiClient.UploadFile(p, dir.relativize(p).toString().replace('\\', '/')));
            }
        }
        return parts;
    }

    static String ending(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot);
    }

    /** {@code 123}, {@code 8MiB}, {@code 2GiB} (also {@code K}/{@code M}/{@code G}, powers of 1024) as bytes. */
    static final class SizeConverter implements picocli.CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\\s*([0-9]+)\\s*(|b|k|kib|m|mib|g|gib)\\s*")
                    .matcher(value);
            if (!m.matches()) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a size (e.g. 8MiB, 500KiB, 1048576)");
            }
            int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "k", "kib" -> 10;
                case "m", "mib" -> 20;
                case "g", "gib" -> 30;
                default -> 0;
            };
            long n = Long.parseLong(m.group(1));
            if (n > (Long.MAX_VALUE >> shift)) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is too large");
            }
            return n << shift;
        }
    }

    private static int worse(int a, int b) {
        return a == ExitCodes.IO || b == ExitCodes.IO ? ExitCodes.IO : Math.max(a, b);
    }

}
