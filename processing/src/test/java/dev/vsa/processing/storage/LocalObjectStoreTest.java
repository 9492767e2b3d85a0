package dev.vsa.processing.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalObjectStoreTest extends ObjectStoreContract {
    @TempDir
    Path dir;

    @Override
    ObjectStore open() throws IOException {
        return new LocalObjectStore(dir);
    }

    @Test
    void presignGet_isEmpty_soServersStream() throws IOException {
        assertTrue(store.presignGet("a/0", Duration.ofMinutes(1), "a.ply").isEmpty());
    }
}
