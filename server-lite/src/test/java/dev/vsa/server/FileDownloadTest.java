package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;

import static dev.vsa.server.TestStack.JSON;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** File downloads streamed by the server (local storage), with Range requests. */
class FileDownloadTest {
    private final TestStack stack = TestStack.local();

    private record Uploaded(TestStack.Account account, String path, byte[] bytes) {
    }

    private Uploaded upload() throws Exception {
        TestStack.Account a = stack.newAccount("range");
        byte[] splat = TestStack.splat(64, 99);
        JsonNode u = JSON.readTree(stack.upload(a.bearer(), "r.splat", splat).body());
        JsonNode scene = JSON.readTree(stack.get("/scenes/" + u.path("scene_id").asText(), a.bearer()).body());
        String url = scene.path("files").get(0).path("url").asText();
        return new Uploaded(a, URI.create(url).getRawPath(), splat);
    }

    private HttpResponse<byte[]> get(Uploaded u, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.url(u.path()))).header("Authorization", u.account().bearer());
        if (range != null) {
            b.header("Range", range);
        }
        return stack.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void file_local_streamedWhole() throws Exception {
        Uploaded u = upload();
        HttpResponse<byte[]> r = get(u, null);
        assertEquals(200, r.statusCode());
        assertArrayEquals(u.bytes(), r.body());
        assertEquals("bytes", r.headers().firstValue("Accept-Ranges").orElse(""));
        assertEquals(Long.toString(u.bytes().length), r.headers().firstValue("Content-Length").orElse(""));
    }

    @ParameterizedTest
    @CsvSource({"bytes=0-9,0,10", "bytes=100-,100,1948", "bytes=-16,2032,16", "bytes=2040-5000,2040,8",
            // a last position as large as a long can be (its length would overflow): the whole rest of the file
            "bytes=0-9223372036854775807,0,2048", "bytes=7-9223372036854775807,7,2041"})
    void file_range_206WithThoseBytes(String range, int from, int length) throws Exception {
        Uploaded u = upload();
        HttpResponse<byte[]> r = get(u, range);
        assertEquals(206, r.statusCode());
        assertArrayEquals(Arrays.copyOfRange(u.bytes(), from, from + length), r.body());
        assertEquals("bytes " + from + "-" + (from + length - 1) + "/" + u.bytes().length,
                r.headers().firstValue("Content-Range").orElse(""));
    }

    @Test
    void file_rangePastTheEnd_416() throws Exception {
        Uploaded u = upload();
        assertEquals(416, get(u, "bytes=5000-").statusCode());
    }
}
