package dev.vsa.server.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JwtSecretsTest {
    @Test
    void fromFile_missing_generatedOnceWithMode0600(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("home/jwt-secret");
        byte[] first = JwtSecrets.fromFile(f);
        assertTrue(first.length >= JwtSecrets.MIN_BYTES);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertArrayEquals(first, JwtSecrets.fromFile(f), "kept, not regenerated");
    }

    @Test
    void fromConfigured_short_rejectedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JwtSecrets.fromConfigured("short", "jwt.secret"));
        assertTrue(e.getMessage().startsWith("jwt.secret"));
    }
}
