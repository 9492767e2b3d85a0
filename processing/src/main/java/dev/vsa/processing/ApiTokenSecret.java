package dev.vsa.processing;

/** A token just made, with its secret: the only time the secret is known. */
public record ApiTokenSecret(ApiToken token, String secret) {
}
