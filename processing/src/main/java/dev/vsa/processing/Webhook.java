package dev.vsa.processing;

import java.time.Instant;
import java.util.List;

/**
 * A user's webhook endpoint. The secret is not part of it: it is shown once, when made or rotated
 * ({@link WebhookSecret}).
 *
 * @param events              the event types sent to it; empty for every type ({@link WebhookService#EVENTS})
 * @param previousSecretUntil while a rotated-out secret still signs (beside the new one), until when; else null
 */
public record Webhook(java.util.UUID id, String url, String description, List<String> events, Instant createdAt,
                      Instant previousSecretUntil) {
    public Webhook {
        events = List.copyOf(events);
    }
}
