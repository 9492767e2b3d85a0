package dev.vsa.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.processing.InvalidRequestException;
import dev.vsa.processing.Job;
import dev.vsa.processing.ProcessingOptions;
import dev.vsa.processing.SceneService;
import dev.vsa.processing.Scope;
import dev.vsa.processing.User;
import dev.vsa.server.auth.Authenticator;
import dev.vsa.server.http.ApiException;
import dev.vsa.server.http.JsonIo;
import io.javalin.http.Context;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Processing options over HTTP: read at upload (a multipart field {@code options} holding their JSON, or query
 * parameters {@code outputs}, {@code transform} (repeatable), {@code from_frame}, {@code to_frame},
 * {@code spz_version}; one way or the other, not both), and {@code POST /scenes/{id}/reprocess} with the JSON as
 * its body. Bad options are a 422 naming the field, before anything is stored.
 */
final class ProcessingOptionsApi {
    /** The query parameters that carry options at upload. */
    static final List<String> QUERY = List.of("outputs", "transform", "from_frame", "to_frame", "spz_version");
    /** Largest {@code options} part read (the JSON is a few hundred bytes). */
    private static final int MAX_OPTIONS_BYTES = 64 * 1024;

    private final SceneService scenes;
    private final Authenticator auth;
    private final JsonIo json;
    private static final ObjectReader OPTIONS_FIELD = new ObjectMapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final Supplier<String> baseUrl;

    ProcessingOptionsApi(SceneService scenes, Authenticator auth, JsonIo json, Supplier<String> baseUrl) {
        this.scenes = scenes;
        this.auth = auth;
        this.json = json;
        this.baseUrl = baseUrl;
    }

    /**
     * The options in the upload's query string, or null if it names none (read before the body, so bad ones cost
     * the client no upload).
     *
     * @throws InvalidRequestException naming the bad parameter
     */
    static ProcessingOptions fromQuery(Context ctx) {
        if (QUERY.stream().noneMatch(q -> ctx.queryParam(q) != null)) {
            return null;
        }
        return ProcessingOptions.of(ctx.queryParam("outputs"), ctx.queryParams("transform"),
                ctx.queryParam("from_frame"), ctx.queryParam("to_frame"), ctx.queryParam("spz_version"));
    }

    /**
     * The upload's options, once its multipart body is parsed: the {@code options} field's JSON, else those of the
     * query ({@code fromQuery}), else the defaults.
     *
     * @throws InvalidRequestException naming the bad field, or {@code options} if both ways are used or the
     *                                 field is not JSON
     */
    ProcessingOptions atUpload(Context ctx, ProcessingOptions fromQuery) throws IOException {
        Part part;
        try {
            part = ctx.req().getPart("options");
        } catch (ServletException e) {
            throw new InvalidRequestException("options", "cannot read the options field: " + e.getMessage());
        }
        if (part == null) {
            return fromQuery != null ? fromQuery : ProcessingOptions.DEFAULTS;
        }
        if (fromQuery != null) {
            throw new InvalidRequestException("options", "give processing options as the multipart field 'options' "
                    + "or as query parameters, not both");
        }
        byte[] bytes;
        try (InputStream in = part.getInputStream()) {
            bytes = in.readNBytes(MAX_OPTIONS_BYTES + 1);
        }
        if (bytes.length > MAX_OPTIONS_BYTES) {
            throw new InvalidRequestException("options", "the options field is limited to " + MAX_OPTIONS_BYTES + " bytes");
        }
        return ProcessingOptions.fromJson(optionsField(bytes));
    }

    /** The options field's JSON: one value and nothing after it ({"a":1} junk is refused, not read as {"a":1}). */
    static JsonNode optionsField(byte[] bytes) throws IOException {
        try {
            return OPTIONS_FIELD.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("options", JsonIo.notValid("the options field", e));
        }
    }

    /** {@code POST /scenes/{id}/reprocess}: body the options' JSON (empty: the defaults); 202 with the job. */
    void reprocess(Context ctx) {
        User user = auth.require(ctx, Scope.SCENES_WRITE);
        UUID id = SceneApi.uuid(ctx.pathParam("id"), "scene");
        ProcessingOptions options = ctx.req().getContentLengthLong() == 0 ? ProcessingOptions.DEFAULTS
                : ProcessingOptions.fromJson(json.readObject(ctx));
        Job job;
        try {
            job = scenes.reprocess(user.id(), id, options).orElseThrow(() -> ApiException.notFound("scene " + id));
        } catch (IllegalStateException e) {
            throw new ApiException(409, "scene-busy", "Scene busy", e.getMessage());
        }
        ObjectNode o = json.object();
        o.put("scene_id", id.toString());
        o.put("job_id", job.id().toString());
        o.put("status", "processing");
        o.set("processing_options", options.toJson());
        o.put("status_url", baseUrl.get() + "/scenes/" + id);
        o.put("job_url", baseUrl.get() + "/jobs/" + job.id());
        json.write(ctx, 202, o);
    }
}
