package dev.vsa.processing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random bearer secrets and their stored form, once for every kind that is looked up by its hash: API tokens, share
 * links, refresh tokens, and the web session's CSRF value. Webhook signing secrets are not these: they are kept
 * whole and follow the Standard Webhooks text form ({@code whsec_} + base64), see
 * {@link dev.vsa.processing.internal.WebhookSigner}.
 *
 * <pre>{@code
 * String token = Secrets.random256();        // give to the client once
 * String stored = Secrets.sha256Hex(token);  // keep and look up by this
 * }</pre>
 */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** 256 random bits from {@link SecureRandom}, base64url without padding (43 characters). */
    public static String random256() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /**
     * The stored form of a random secret: hex SHA-256 of its UTF-8 bytes (the secret is random, so no salt or slow
     * hash is needed; a leaked table does not leak the secrets).
     *
     * @throws NullPointerException if {@code secret} is null
     */
    public static String sha256Hex(String secret) {
        return Digests.sha256Hex(secret.getBytes(StandardCharsets.UTF_8));
    }
}
