package dev.vsa.processing;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.UUID;

/**
 * A unit of work on a scene, as the queue table holds it.
 *
 * @param kind        {@code process} (after upload) or {@code convert} (payload {@code {"to": "spz"}})
 * @param attempts    how many times a worker has started it
 * @param progress    0..100
 * @param stage       what it is doing: {@code fetch}, {@code detect}, {@code validate}, {@code inspect},
 *                    {@code convert}, {@code upload}, {@code done}; or null before start
 * @param lastError   the latest failure's reason (also set while a retry waits), or null
 * @param runAfter    when a queued job becomes due (later than now while a retry backs off)
 */
public record Job(UUID id, UUID sceneId, String kind, JsonNode payload, JobState state, int attempts,
                  int maxAttempts, int progress, String stage, String lastError, boolean cancelRequested,
                  Instant runAfter, Instant createdAt, Instant updatedAt, Instant startedAt, Instant finishedAt) {
}
