package dev.vsa.processing;

/** A webhook with its signing secret, as returned once when it is made or its secret rotated. */
public record WebhookSecret(Webhook webhook, String secret) {
}
