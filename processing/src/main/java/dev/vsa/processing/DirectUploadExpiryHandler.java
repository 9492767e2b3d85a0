package dev.vsa.processing;

import java.util.UUID;

/**
 * Ends an expired direct upload ({@link DirectUploads#EXPIRE} jobs, payload {@code {"upload_id": "<uuid>"}}, due at
 * the upload's expiry): its multipart upload is aborted and anything it left is deleted, so no part outlives the
 * session in the bucket. Queued with the session in one transaction; a store that is down makes the job retry.
 */
final class DirectUploadExpiryHandler implements JobHandler {
    private final DirectUploads uploads;

    DirectUploadExpiryHandler(DirectUploads uploads) {
        this.uploads = uploads;
    }

    @Override
    public void run(JobContext ctx) throws Exception {
        UUID id;
        try {
            id = UUID.fromString(ctx.job().payload().path("upload_id").asText(""));
        } catch (IllegalArgumentException e) {
            throw new JobFailedException("not a direct upload id: " + ctx.job().payload(), true);
        }
        ctx.progress(0, "abort");
        uploads.expire(id);
        ctx.complete(tx -> { });
    }
}
