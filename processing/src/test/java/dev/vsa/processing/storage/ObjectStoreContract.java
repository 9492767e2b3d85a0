package dev.vsa.processing.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link ObjectStore} must do; subclassed per backend. */
abstract class ObjectStoreContract {
    ObjectStore store;

    abstract ObjectStore open() throws IOException;

    @BeforeEach
    void setUp() throws IOException {
        store = open();
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    void put_thenGet_roundTrips() throws IOException {
        byte[] data = random(10_000);
        assertEquals(10_000, store.put("scenes/a/original/0", new ByteArrayInputStream(data), data.length, "model/gltf-binary"));
        assertArrayEquals(data, read(store.get("scenes/a/original/0")));
        ObjectInfo info = store.stat("scenes/a/original/0").orElseThrow();
        assertEquals(10_000, info.size());
        assertEquals("model/gltf-binary", info.contentType());
    }

    @Test
    void put_unknownLengthLargerThanOnePart_usesPartsAndRoundTrips() throws IOException {
        byte[] data = random(S3ObjectStore.PART_SIZE * 2 + 12345);
        InputStream trickle = new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 70_000)); // short reads, as a network stream gives
            }
        };
        assertEquals(data.length, store.put("big/0", trickle, -1, null));
        assertArrayEquals(data, read(store.get("big/0")));
    }

    @Test
    void put_replacesExisting() throws IOException {
        store.put("k/1", new ByteArrayInputStream(random(100)), 100, null);
        byte[] second = random(7);
        store.put("k/1", new ByteArrayInputStream(second), 7, null);
        assertArrayEquals(second, read(store.get("k/1")));
        assertEquals(List.of("k/1"), store.list("k/"));
    }

    @Test
    void put_failingStream_storesNothing() {
        InputStream failing = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (++n > 1000) {
                    throw new IOException("connection reset");
                }
                return 1;
            }
        };
        assertThrows(IOException.class, () -> store.put("f/0", failing, -1, null));
        assertTrue(assertDoesNotThrowList("f/").isEmpty());
    }

    private List<String> assertDoesNotThrowList(String prefix) {
        try {
            return store.list(prefix);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void get_range_returnsThoseBytes() throws IOException {
        byte[] data = random(5000);
        store.put("r/0", new ByteArrayInputStream(data), data.length, null);
        assertArrayEquals(Arrays.copyOfRange(data, 100, 300), read(store.get("r/0", 100, 200)));
        assertArrayEquals(Arrays.copyOfRange(data, 4990, 5000), read(store.get("r/0", 4990, 100)));
        assertArrayEquals(Arrays.copyOfRange(data, 4000, 5000), read(store.get("r/0", 4000, -1)));
        assertEquals(0, read(store.get("r/0", 6000, 10)).length);
    }

    @Test
    void get_missing_throwsNotFound() {
        assertThrows(ObjectNotFoundException.class, () -> read(store.get("nope/0")));
        assertTrue(assertStat("nope/0"));
    }

    private boolean assertStat(String key) {
        try {
            return store.stat(key).isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void deletePrefix_removesOnlyThatPrefix() throws IOException {
        for (String k : List.of("scenes/x/original/0", "scenes/x/outputs/scene.spz", "scenes/y/original/0")) {
            store.put(k, new ByteArrayInputStream(random(10)), 10, null);
        }
        store.deletePrefix("scenes/x/");
        assertEquals(List.of("scenes/y/original/0"), store.list("scenes/"));
        store.delete("scenes/y/original/0");
        store.delete("scenes/y/original/0"); // a missing key is fine
        assertTrue(store.list("scenes/").isEmpty());
    }

    @Test
    void put_badKey_rejected() {
        for (String k : List.of("", "../x", "a/../b", "/abs", "a//b", ".hidden", "sp ace")) {
            assertThrows(IllegalArgumentException.class,
                    () -> store.put(k, new ByteArrayInputStream(new byte[1]), 1, null), k);
        }
    }
}
