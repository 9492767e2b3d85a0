package dev.vsa.processing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretsTest {
    @Test
    void sha256Hex_knownVectors() {
        // FIPS 180-2 examples; the stored form of API tokens, share links and refresh tokens must not change
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Secrets.sha256Hex("abc"));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Secrets.sha256Hex(""));
    }

    @Test
    void sha256Hex_utf8() {
        // "\u00e9" hashed as UTF-8 (c3 a9), not as Latin-1 (e9, de2e331d...)
        assertEquals("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c", Secrets.sha256Hex("\u00e9"));
    }

    @Test
    void random256_base64urlOf32Bytes() {
        String a = Secrets.random256();
        assertEquals(43, a.length());
        assertTrue(a.matches("[A-Za-z0-9_-]{43}"), a);
        assertNotEquals(a, Secrets.random256());
    }
}
