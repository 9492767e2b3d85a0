package dev.vsa.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static dev.vsa.server.TestStack.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** PATCH /scenes/{id} (name, description, tags) and /scenes filtered by status, format, tag and name. */
class SceneDetailsApiTest {
    private final TestStack stack = TestStack.shared();

    private String upload(TestStack.Account a, String name, byte[] bytes) throws Exception {
        HttpResponse<String> r = stack.upload(a.bearer(), name, bytes);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode up = JSON.readTree(r.body());
        stack.awaitScene(a.bearer(), up.path("scene_id").asText(), up.path("job_id").asText());
        return up.path("scene_id").asText();
    }

    private List<String> names(TestStack.Account a, String query) throws Exception {
        HttpResponse<String> r = stack.get("/scenes" + query, a.bearer());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).path("items").findValuesAsText("name");
    }

    @Test
    void patch_setsNameDescriptionTags_andFiltersFindThem() throws Exception {
        TestStack.Account a = stack.newAccount("det");
        String garden = upload(a, "garden.splat", TestStack.splat(30, 7));
        String room = upload(a, "room_100%.splat", TestStack.splat(30, 8));
        upload(a, "bad.splat", new byte[33]);

        HttpResponse<String> r = stack.patchJson("/scenes/" + garden, Map.of("name", "Back Garden",
                "description", "scanned in May", "tags", List.of("Outdoor", "scan:2026", "outdoor")), a.bearer());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode s = JSON.readTree(r.body());
        assertEquals("Back Garden", s.path("name").asText());
        assertEquals("garden.splat", s.path("filename").asText());
        assertEquals("scanned in May", s.path("description").asText());
        assertEquals("[\"outdoor\",\"scan:2026\"]", s.path("tags").toString(), "lower case, sorted, no duplicates");
        r = stack.patchJson("/scenes/" + room, Map.of("tags", List.of("indoor")), a.bearer());
        assertEquals(200, r.statusCode(), r.body());

        assertEquals(List.of("Back Garden"), names(a, "?tag=OUTDOOR"));
        assertEquals(List.of("room_100%.splat"), names(a, "?tag=indoor"));
        assertEquals(List.of("Back Garden"), names(a, "?q=garden"));
        assertEquals(List.of("room_100%.splat"), names(a, "?q=100%25"));
        assertEquals(List.of(), names(a, "?q=g_rden"), "_ is a character, not a wildcard");
        assertEquals(List.of("bad.splat"), names(a, "?status=invalid"));
        assertEquals(2, names(a, "?status=ready&format=splat").size());
        assertEquals(List.of(), names(a, "?format=glb"));

        // Paging keeps the filter: one per page.
        JsonNode p1 = JSON.readTree(stack.get("/scenes?status=ready&limit=1", a.bearer()).body());
        JsonNode p2 = JSON.readTree(stack.get("/scenes?status=ready&limit=1&cursor=" + p1.path("next_cursor").asText(),
                a.bearer()).body());
        assertEquals(1, p2.path("items").size());
        assertEquals("ready", p2.path("items").get(0).path("status").asText());

        r = stack.patchJson("/scenes/" + garden, Map.of("name", ""), a.bearer());
        assertEquals("garden.splat", JSON.readTree(r.body()).path("name").asText(), "an empty name shows the file name");
        assertEquals("scanned in May", JSON.readTree(r.body()).path("description").asText(), "absent fields stay");
    }

    @Test
    void patch_badInputAndOthersScenes() throws Exception {
        TestStack.Account a = stack.newAccount("deta");
        TestStack.Account b = stack.newAccount("detb");
        String id = upload(a, "x.splat", TestStack.splat(10, 9));
        assertEquals(404, stack.patchJson("/scenes/" + id, Map.of("name", "mine"), b.bearer()).statusCode());
        assertEquals(422, stack.patchJson("/scenes/" + id, Map.of("tags", List.of("no spaces")), a.bearer()).statusCode());
        assertEquals(422, stack.patchJson("/scenes/" + id, Map.of("name", "x".repeat(201)), a.bearer()).statusCode());
        assertEquals(422, stack.patchJson("/scenes/" + id, Map.of(), a.bearer()).statusCode());
        assertEquals(400, stack.get("/scenes?status=done", a.bearer()).statusCode());
        assertEquals("x.splat", JSON.readTree(stack.get("/scenes/" + id, a.bearer()).body()).path("name").asText());
    }
}
