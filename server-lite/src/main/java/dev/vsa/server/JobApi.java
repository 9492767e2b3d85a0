package dev.vsa.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.processing.Job;
import dev.vsa.processing.JobService;
import dev.vsa.processing.Scope;
import dev.vsa.processing.User;
import dev.vsa.server.auth.Authenticator;
import dev.vsa.server.http.ApiException;
import dev.vsa.server.http.JsonIo;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/** {@code /jobs/{id}} and its server-sent event stream. */
final class JobApi {
    /** Comment lines keep idle proxies from closing a quiet event stream. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final JobService jobs;
    private final Authenticator auth;
    private final JsonIo json;
    private volatile boolean stopping;

    JobApi(JobService jobs, Authenticator auth, JsonIo json) {
        this.jobs = jobs;
        this.auth = auth;
        this.json = json;
    }

    /** Ends open event streams (at shutdown) so the server can drain. */
    void stop() {
        stopping = true;
    }

    Optional<Job> find(User user, UUID id) {
        return jobs.get(user.id(), id);
    }

    void get(Context ctx) {
        User user = auth.require(ctx, Scope.SCENES_READ);
        json.write(ctx, 200, jobJson(job(user, ctx)));
    }

    /** {@code GET /jobs?scene_id=&limit=}: the caller's recent scene jobs, newest first. */
    void list(Context ctx) {
        User user = auth.require(ctx, Scope.SCENES_READ);
        String scene = ctx.queryParam("scene_id");
        int limit = SceneApi.limit(ctx, 50, 200);
        com.fasterxml.jackson.databind.node.ArrayNode items = json.mapper().createArrayNode();
        for (Job j : jobs.listRecent(user.id(), scene == null ? null : SceneApi.uuid(scene, "scene"), limit)) {
            items.add(jobJson(j));
        }
        ObjectNode o = json.object();
        o.set("items", items);
        json.write(ctx, 200, o);
    }

    void events(Context ctx) throws IOException, InterruptedException {
        User user = auth.require(ctx, Scope.SCENES_READ);
        Job job = job(user, ctx);
        ctx.status(200);
        ctx.header("Content-Type", "text/event-stream");
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Accel-Buffering", "no");
        ctx.disableCompression();
        OutputStream out = ctx.res().getOutputStream();
        send(out, job.state().terminal() ? "end" : "progress", json.mapper().writeValueAsString(jobJson(job)));
        // Woken by the database's notifications (processing's awaitChange); a keep-alive comment goes out when
        // nothing changed for a while. A client that went away makes the next write fail, which ends the loop.
        while (!job.state().terminal() && !stopping) {
            Optional<Job> now = jobs.awaitChange(user.id(), job.id(), job, KEEP_ALIVE);
            if (now.isEmpty()) {
                send(out, "end", "{\"id\":\"" + job.id() + "\",\"state\":\"deleted\"}");
                return;
            }
            if (now.get().equals(job)) {
                out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            } else {
                job = now.get();
                send(out, job.state().terminal() ? "end" : "progress", json.mapper().writeValueAsString(jobJson(job)));
            }
        }
    }

    private static void send(OutputStream out, String event, String data) throws IOException {
        out.write(("event: " + event + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private Job job(User user, Context ctx) {
        UUID id = SceneApi.uuid(ctx.pathParam("id"), "job");
        return jobs.get(user.id(), id).orElseThrow(() -> ApiException.notFound("job " + id));
    }

    ObjectNode jobJson(Job j) {
        ObjectNode o = json.object();
        o.put("id", j.id().toString());
        o.put("scene_id", j.sceneId() == null ? null : j.sceneId().toString());
        o.put("kind", j.kind());
        o.put("state", j.state().id());
        o.put("progress", j.progress());
        o.put("stage", j.stage());
        o.put("attempts", j.attempts());
        o.put("error", j.lastError());
        o.put("created_at", str(j.createdAt()));
        o.put("started_at", str(j.startedAt()));
        o.put("finished_at", str(j.finishedAt()));
        return o;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
