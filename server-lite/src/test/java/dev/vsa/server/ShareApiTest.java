package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static dev.vsa.server.TestStack.JSON;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Share links over real HTTP: anyone with the link reads and downloads; revocation and others' scenes. */
class ShareApiTest {
    @Test
    void share_anonymousReadAndDownload_thenRevoked() throws Exception {
        for (TestStack stack : new TestStack[] {TestStack.shared(), TestStack.local()}) {
            TestStack.Account a = stack.newAccount("share");
            byte[] bytes = TestStack.splat(40, 12);
            JsonNode up = JSON.readTree(stack.upload(a.bearer(), "g.splat", bytes).body());
            String scene = up.path("scene_id").asText();
            stack.awaitScene(a.bearer(), scene, up.path("job_id").asText());
            HttpResponse<String> r = stack.postJson("/scenes/" + scene + "/shares", Map.of("expires_in_hours", 2), a.bearer());
            assertEquals(201, r.statusCode(), r.body());
            JsonNode link = JSON.readTree(r.body());
            String url = link.path("url").asText();
            assertTrue(link.path("viewer_url").asText().contains("/#/share/" + link.path("token").asText()));
            String path = URI.create(url).getPath();

            r = stack.get(path, null);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode shared = JSON.readTree(r.body());
            assertEquals("ready", shared.path("status").asText());
            assertEquals("g.splat", shared.path("name").asText());
            assertTrue(shared.path("shared_until").isTextual());
            String fileUrl = null;
            for (JsonNode f : shared.path("files")) {
                assertTrue(f.path("url").asText().startsWith(url + "/files/"), f.toString());
                if (f.path("kind").asText().equals("original")) {
                    fileUrl = f.path("url").asText();
                }
            }
            HttpResponse<byte[]> file = stack.http.send(HttpRequest.newBuilder(URI.create(
                    stack.url(URI.create(fileUrl).getPath()) + "?redirect=false")).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, file.statusCode());
            assertArrayEquals(bytes, file.body());
            HttpResponse<byte[]> part = stack.http.send(HttpRequest.newBuilder(URI.create(
                    stack.url(URI.create(fileUrl).getPath()) + "?redirect=false")).header("Range", "bytes=0-9").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(206, part.statusCode());
            assertEquals(10, part.body().length);

            JsonNode listed = JSON.readTree(stack.get("/scenes/" + scene + "/shares", a.bearer()).body()).path("items");
            assertEquals(1, listed.size());
            assertTrue(listed.get(0).path("token").isMissingNode());
            assertEquals(204, stack.delete("/scenes/" + scene + "/shares/" + link.path("id").asText(), a.bearer()).statusCode());
            assertEquals(404, stack.get(path, null).statusCode());
            assertEquals(404, stack.get(URI.create(fileUrl).getPath(), null).statusCode());
            assertFalse(JSON.readTree(stack.get("/scenes/" + scene + "/shares", a.bearer()).body()).path("items").get(0)
                    .path("active").asBoolean());
        }
    }

    @Test
    void share_othersScene_404_badLifetime_422_forgedToken_404() throws Exception {
        TestStack stack = TestStack.shared();
        TestStack.Account a = stack.newAccount("sha");
        TestStack.Account b = stack.newAccount("shb");
        JsonNode up = JSON.readTree(stack.upload(a.bearer(), "h.splat", TestStack.splat(10, 13)).body());
        String scene = up.path("scene_id").asText();
        assertEquals(404, stack.postJson("/scenes/" + scene + "/shares", Map.of(), b.bearer()).statusCode());
        assertEquals(404, stack.get("/scenes/" + scene + "/shares", b.bearer()).statusCode());
        assertEquals(422, stack.postJson("/scenes/" + scene + "/shares", Map.of("expires_in_hours", 0), a.bearer()).statusCode());
        assertEquals(422, stack.postJson("/scenes/" + scene + "/shares", Map.of("expires_in_hours", 9000), a.bearer()).statusCode());
        String id = JSON.readTree(stack.postJson("/scenes/" + scene + "/shares", Map.of(), a.bearer()).body()).path("id").asText();
        assertEquals(404, stack.delete("/scenes/" + scene + "/shares/" + id, b.bearer()).statusCode());
        assertEquals(404, stack.get("/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", null).statusCode());
        assertEquals(404, stack.get("/s/short", null).statusCode());
    }
}
