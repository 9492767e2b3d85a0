package dev.vsa.processing;

import java.time.Instant;
import java.util.UUID;

/**
 * One event sent (or being sent) to a webhook: the delivery log's row.
 *
 * @param id         also the {@code webhook-id} header a receiver deduplicates retries with
 * @param state      {@code pending} (queued or waiting for a retry), {@code delivered} or {@code failed} (gave up)
 * @param lastStatus the HTTP status of the latest attempt, or null if it got none (refused, timed out)
 */
public record WebhookDelivery(UUID id, String eventType, String state, int attempts, Integer lastStatus,
                              String lastError, Instant createdAt, Instant lastAttemptAt, Instant deliveredAt) {
}
