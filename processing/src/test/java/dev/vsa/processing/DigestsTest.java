package dev.vsa.processing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DigestsTest {
    static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void sha256_knownVector_bytesAndFile(@TempDir Path dir) throws Exception {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertEquals(ABC, Digests.sha256Hex(abc));
        assertEquals(ABC, HexFormat.of().formatHex(Digests.sha256(abc)));
        Path f = Files.write(dir.resolve("abc"), abc);
        assertEquals(ABC, Digests.sha256Hex(f));
        assertEquals(ABC, HexFormat.of().formatHex(Digests.sha256().digest(abc)));
    }

    @Test
    void of_tusAlgorithms_andAnUnknownOne() {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d", HexFormat.of().formatHex(Digests.of("SHA-1").digest(abc)));
        assertEquals("900150983cd24fb0d6963f7d28e17f72", HexFormat.of().formatHex(Digests.of("MD5").digest(abc)));
        assertThrows(IllegalStateException.class, () -> Digests.of("NO-SUCH-HASH"));
    }
}
