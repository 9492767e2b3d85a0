package dev.vsa.processing.resumable;

import java.time.Instant;
import java.util.UUID;

/**
 * One resumable upload as its owner sees it.
 *
 * @param id             the upload's id (its URL's last segment)
 * @param ownerId        who created it; nobody else sees it
 * @param length         the bytes the upload declared it will send
 * @param offset         the bytes received and stored so far
 * @param filename       the file name the scene will carry
 * @param metadata       the client's {@code Upload-Metadata} as sent (returned on HEAD)
 * @param idempotencyKey the client's key, passed to the scene upload (null: none given)
 * @param sha256         hex SHA-256 of the whole file, once complete, else null
 * @param sceneId        the scene it became, once complete, else null
 * @param jobId          that scene's process job, else null
 * @param expiresAt      when an unfinished upload is swept unless it goes on (each PATCH moves it)
 */
public record ResumableUpload(UUID id, UUID ownerId, long length, long offset, String filename, String metadata,
                              String idempotencyKey, String sha256, UUID sceneId, UUID jobId, Instant createdAt,
                              Instant expiresAt) {
    /** Whether every byte is in (the scene may still be on its way: see {@link #sceneId()}). */
    public boolean complete() {
        return offset == length;
    }
}
