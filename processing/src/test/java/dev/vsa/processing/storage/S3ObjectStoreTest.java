package dev.vsa.processing.storage;

import dev.vsa.processing.ProcessingConfig;
import dev.vsa.processing.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class S3ObjectStoreTest extends ObjectStoreContract {
    @TempDir
    Path home;

    @Override
    ObjectStore open() throws IOException {
        return new S3ObjectStore(config(TestS3.SECRET_KEY).storage());
    }

    private ProcessingConfig config(String secret) {
        return ProcessingConfig.load(TestS3.settings(secret), Map.of(), home);
    }

    @Test
    void open_wrongSecret_rejectedByServer() {
        IOException e = assertThrows(IOException.class, () -> new S3ObjectStore(config("not-the-secret").storage()));
        assertTrue(e.getMessage().contains("not usable"), e.getMessage());
    }

    @Test
    void presignGet_servesPrivateObjectWithRanges() throws IOException {
        byte[] data = random(3000);
        store.put("p/0", new ByteArrayInputStream(data), data.length, "application/octet-stream");
        URI url = store.presignGet("p/0", Duration.ofMinutes(5), "scene.spz").orElseThrow();
        HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
        c.setRequestProperty("Range", "bytes=10-19");
        assertEquals(206, c.getResponseCode());
        try (InputStream in = c.getInputStream()) {
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 10, 20), in.readAllBytes());
        }
        URI unsigned = URI.create(url.toString().substring(0, url.toString().indexOf('?')));
        HttpURLConnection anon = (HttpURLConnection) unsigned.toURL().openConnection();
        assertEquals(403, anon.getResponseCode());
    }
}
