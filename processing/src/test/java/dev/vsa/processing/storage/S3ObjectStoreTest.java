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

    @Test
    void presignGet_publicEndpoint_namedInUrlAndServed() throws IOException {
        // The server as clients reach it under another name (compose: http://s3:9000 inside, 127.0.0.1:9000 outside).
        Map<String, String> settings = TestS3.settings(TestS3.SECRET_KEY);
        URI publicEndpoint = URI.create("http://localhost:" + TestS3.endpoint().getPort());
        settings.put(ProcessingConfig.S3_PUBLIC_ENDPOINT, publicEndpoint.toString());
        try (S3ObjectStore s3 = new S3ObjectStore(ProcessingConfig.load(settings, Map.of(), home).storage())) {
            byte[] data = random(100);
            s3.put("p/1", new ByteArrayInputStream(data), data.length, "application/octet-stream");
            URI url = s3.presignGet("p/1", Duration.ofMinutes(5), "scene.spz").orElseThrow();
            assertEquals("localhost", url.getHost(), url.toString());
            HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
            assertEquals(200, c.getResponseCode());
            try (InputStream in = c.getInputStream()) {
                assertArrayEquals(data, in.readAllBytes());
            }
        }
    }
}
