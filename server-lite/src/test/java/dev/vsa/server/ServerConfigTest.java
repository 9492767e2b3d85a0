package dev.vsa.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerConfigTest {
    @Test
    void load_defaults_port8000WorkerOn15MinuteTokensSecretFileInHome(@TempDir Path home) {
        ServerConfig c = ServerConfig.load(Map.of(), Map.of(), home);
        assertEquals(8000, c.port());
        assertTrue(c.worker());
        assertEquals(900, c.accessTtl().toSeconds());
        assertTrue(c.bcryptCost() >= 10);
        assertTrue(home.resolve("jwt-secret").toFile().isFile());
    }

    @Test
    void load_flagBeatsEnvironment(@TempDir Path home) {
        ServerConfig c = ServerConfig.load(Map.of("port", "9001"), Map.of("VSA_PORT", "9002", "VSA_WORKER", "false"), home);
        assertEquals(9001, c.port());
        assertFalse(c.worker());
    }

    @Test
    void load_bcryptCostBelow10_rejectedNamingKey(@TempDir Path home) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.load(Map.of(), Map.of("VSA_BCRYPT_COST", "4"), home));
        assertTrue(e.getMessage().startsWith("bcrypt.cost (VSA_BCRYPT_COST)"), e.getMessage());
    }

    @Test
    void load_unknownKey_rejected(@TempDir Path home) {
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(Map.of("prot", "1"), Map.of(), home));
    }

    @Test
    void toString_hidesTheSecret(@TempDir Path home) {
        ServerConfig c = ServerConfig.load(Map.of("jwt.secret", "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t"), Map.of(), home);
        assertFalse(c.toString().contains("s3cr3t"));
    }
}
