package dev.vsa.processing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one place vsa asks the JDK for a message digest (SHA-256 of uploads and originals, stored secrets, checked
 * resources; the SHA-1 and MD5 a tus client may name for a piece). Every JDK ships these algorithms, so their
 * absence is a broken runtime ({@link IllegalStateException}), not a checked exception for every caller.
 */
public final class Digests {
    private Digests() {
    }

    /** A new SHA-256 digest. */
    public static MessageDigest sha256() {
        return of("SHA-256");
    }

    /**
     * A new digest of a JDK algorithm ({@code SHA-256}, {@code SHA-1}, {@code MD5}, ...).
     *
     * @throws IllegalStateException if this JVM lacks it
     */
    public static MessageDigest of(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " missing from this JVM", e);
        }
    }

    /** SHA-256 of {@code bytes}. */
    public static byte[] sha256(byte[] bytes) {
        return sha256().digest(bytes);
    }

    /** SHA-256 of {@code bytes}, lower-case hex. */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256(bytes));
    }

    /** SHA-256 of a file's bytes (read once, streaming), lower-case hex. */
    public static String sha256Hex(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int r; (r = in.read(buf)) >= 0; ) {
                sha.update(buf, 0, r);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
