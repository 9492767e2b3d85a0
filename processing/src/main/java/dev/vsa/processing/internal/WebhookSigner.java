package dev.vsa.processing.internal;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * Signs webhook deliveries as the Standard Webhooks specification describes: the signed content is
 * {@code msg_id + "." + timestamp + "." + body}, HMAC-SHA256 under the secret's bytes (the base64 after
 * {@code whsec_}), sent as {@code webhook-signature: v1,<base64>}; several signatures are separated by spaces
 * (during a secret rotation both the new and the previous secret sign).
 */
public final class WebhookSigner {
    /** The prefix of a secret's text form. */
    public static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSigner() {
    }

    /** A new secret: 32 random bytes, {@code whsec_} + base64. */
    public static String newSecret() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return PREFIX + Base64.getEncoder().encodeToString(raw);
    }

    /**
     * The {@code webhook-signature} header value: one {@code v1,<sig>} per secret, space-separated.
     *
     * @throws IllegalArgumentException if a secret is not {@code whsec_} + base64
     */
    public static String signature(List<String> secrets, String msgId, long timestampSeconds, byte[] body) {
        StringBuilder out = new StringBuilder();
        for (String secret : secrets) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append("v1,").append(Base64.getEncoder().encodeToString(hmac(key(secret), msgId, timestampSeconds, body)));
        }
        return out.toString();
    }

    private static byte[] key(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + PREFIX);
        }
        return Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    }

    private static byte[] hmac(byte[] key, String msgId, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((msgId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 missing from the JDK", e);
        }
    }
}
