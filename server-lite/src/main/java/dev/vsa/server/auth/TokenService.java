package dev.vsa.server.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.vsa.processing.Secrets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues and checks access tokens (JWT, HS256, issuer and audience checked, short-lived) and makes refresh
 * tokens (random, opaque; only their SHA-256 is stored, so a database leak does not leak sessions).
 */
public final class TokenService {
    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final String issuer;
    private final String audience;
    private final Duration accessTtl;
    private final Clock clock;
    /**
     * Access tokens this process verified, with their subject and expiry: a client sends the same token on every
     * request, and decoding it (base64, two JSON documents) and checking its HMAC cost a read about a tenth of its
     * CPU. Keyed by the whole token, so only a token whose signature was checked is ever found; expiry is checked
     * on every use. Bounded: cleared when full (each token then pays one verification again).
     */
    private final ConcurrentHashMap<String, Verified> verified =
            new ConcurrentHashMap<>();
    static final int VERIFIED_MAX = 4096;

    private record Verified(UUID subject, Instant expiresAt) {
    }

    public TokenService(byte[] secret, String issuer, String audience, Duration accessTtl, Clock clock) {
        if (secret.length < JwtSecrets.MIN_BYTES) {
            throw new IllegalArgumentException("JWT secret shorter than " + JwtSecrets.MIN_BYTES + " bytes");
        }
        this.algorithm = Algorithm.HMAC256(secret);
        this.issuer = issuer;
        this.audience = audience;
        this.accessTtl = accessTtl;
        this.clock = clock;
        // require() pins HS256: a token with alg "none" or any other algorithm fails verification.
        this.verifier = JWT.require(algorithm).withIssuer(issuer).withAudience(audience).acceptLeeway(0).build();
    }

    public Duration accessTtl() {
        return accessTtl;
    }

    /** A signed access token for the user. */
    public String issueAccess(UUID userId, String username) {
        Instant now = clock.instant();
        return JWT.create()
                .withIssuer(issuer)
                .withAudience(audience)
                .withSubject(userId.toString())
                .withClaim("username", username)
                .withIssuedAt(now)
                .withExpiresAt(now.plus(accessTtl))
                .withJWTId(UUID.randomUUID().toString())
                .sign(algorithm);
    }

    /** The user id of a valid token, or empty when the token is malformed, forged, expired or foreign. */
    public Optional<UUID> verifyAccess(String token) {
        Verified known = verified.get(token);
        if (known != null) {
            if (known.expiresAt.isAfter(clock.instant())) {
                return Optional.of(known.subject);
            }
            verified.remove(token, known);
            return Optional.empty();
        }
        try {
            DecodedJWT jwt = verifier.verify(token);
            if (jwt.getExpiresAt() == null || !jwt.getExpiresAt().toInstant().isAfter(clock.instant())) {
                return Optional.empty();
            }
            UUID subject = UUID.fromString(jwt.getSubject());
            if (verified.size() >= VERIFIED_MAX) {
                verified.clear();
            }
            verified.put(token, new Verified(subject, jwt.getExpiresAt().toInstant()));
            return Optional.of(subject);
        } catch (JWTVerificationException | IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    /** A new random refresh token (256 bits, base64url). */
    public static String newRefreshToken() {
        return Secrets.random256();
    }

    /** The stored form of a refresh token: hex SHA-256 (the token is random, so no salt or slow hash is needed). */
    public static String hashRefreshToken(String token) {
        return Secrets.sha256Hex(token);
    }
}
