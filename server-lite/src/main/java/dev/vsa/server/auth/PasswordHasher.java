package dev.vsa.server.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.charset.StandardCharsets;

/** bcrypt with a configurable cost (at least 10). */
public final class PasswordHasher {
    public static final int MIN_COST = 10;
    /** bcrypt reads at most 72 bytes of a password; longer ones are refused rather than silently cut. */
    public static final int MAX_PASSWORD_BYTES = 72;

    private final int cost;
    /** Checked against when the user does not exist, so a wrong username costs as long as a wrong password. */
    private final String dummyHash;

    public PasswordHasher(int cost) {
        if (cost < MIN_COST || cost > 31) {
            throw new IllegalArgumentException("bcrypt cost must be between " + MIN_COST + " and 31, not " + cost);
        }
        this.cost = cost;
        this.dummyHash = hash("not-a-real-password-" + System.nanoTime());
    }

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    /** Whether {@code password} matches {@code hash}; with a null hash, spends the same time and says no. */
    public boolean verify(String password, String hash) {
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            BCrypt.verifyer().verify("x".toCharArray(), dummyHash);
            return false;
        }
        boolean ok = BCrypt.verifyer().verify(password.toCharArray(), hash == null ? dummyHash : hash).verified;
        return ok && hash != null;
    }
}
