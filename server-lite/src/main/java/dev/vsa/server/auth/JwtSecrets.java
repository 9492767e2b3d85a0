package dev.vsa.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * Where the HS256 signing secret comes from: the configuration, or a file in the vsa home generated once with
 * mode 0600. There is deliberately no built-in default: a default secret would let anyone forge tokens.
 */
public final class JwtSecrets {
    /** HS256 wants at least as many key bytes as the hash output. */
    public static final int MIN_BYTES = 32;

    private JwtSecrets() {
    }

    /** The secret from a configured value; rejects one shorter than {@link #MIN_BYTES}. */
    public static byte[] fromConfigured(String value, String key) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_BYTES) {
            throw new IllegalArgumentException(key + ": the JWT secret must be at least " + MIN_BYTES
                    + " bytes long (it is " + bytes.length + ")");
        }
        return bytes;
    }

    /**
     * Reads {@code file}, creating it first (mode 0600, 48 random bytes, base64) when missing.
     *
     * @throws IOException if it cannot be read or created, or is too short
     */
    public static byte[] fromFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] raw = new byte[48];
            new SecureRandom().nextBytes(raw);
            byte[] text = Base64.getUrlEncoder().withoutPadding().encode(raw);
            try {
                if (supportsPosix(file)) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } else {
                    Files.createFile(file);
                }
                Files.write(file, text, StandardOpenOption.TRUNCATE_EXISTING);
            } catch (FileAlreadyExistsException raced) {
                // another process made it first: use theirs
            }
        }
        byte[] bytes = Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_BYTES) {
            throw new IOException(file + ": the JWT secret must be at least " + MIN_BYTES + " bytes long");
        }
        return bytes;
    }

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private static boolean supportsPosix(Path file) {
        return file.toAbsolutePath().getParent().getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
