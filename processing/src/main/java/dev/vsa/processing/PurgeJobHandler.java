package dev.vsa.processing;

import java.util.regex.Pattern;

/**
 * Deletes the stored objects of a deleted scene ({@code purge} jobs, payload {@code {"prefix": "scenes/<id>/"}}), or
 * the pieces of a deleted account's unfinished resumable upload ({@code "tus/<id>/"}).
 * The scene's rows and this job are committed together, so the objects cannot be forgotten: if the store is
 * down the job is retried with backoff (up to {@link SceneService#PURGE_MAX_ATTEMPTS} attempts, hours), and
 * deleting an absent object is no error, so a re-run after a crash is harmless.
 */
final class PurgeJobHandler implements JobHandler {
    private static final Pattern PREFIX = Pattern.compile("(scenes|tus)/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/");

    @Override
    public void run(JobContext ctx) throws Exception {
        String prefix = ctx.job().payload().path("prefix").asText("");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new JobFailedException("not a scene's or an upload's prefix: '" + prefix + "'", true);
        }
        ctx.progress(0, "delete");
        ctx.store().deletePrefix(prefix);
        ctx.complete(tx -> { });
    }
}
