package dev.vsa.processing;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a scene read makes of its row's JSON columns (SceneService.filesOf and options), without a database. */
class SceneReadTest {
    @Test
    void filesOf_readsEveryFieldAndEscape() {
        // As PostgreSQL's json_agg(json_build_array(...))::text writes it: blanks after ',' and escaped names.
        String json = "[[\"original/a \\\"b\\\"\\u00e9.ply\", \"original\", 123, \"application/octet-stream\", "
                + "1733456789123456], \n [\"scene.spz\", \"output\", 0, null, -1]]";
        List<SceneFile> files = SceneService.filesOf(json);
        assertEquals(List.of(
                new SceneFile("original/a \"b\"\u00e9.ply", SceneFile.Kind.ORIGINAL, 123, "application/octet-stream",
                        Instant.parse("2024-12-06T03:46:29.123456Z")),
                new SceneFile("scene.spz", SceneFile.Kind.OUTPUT, 0, null, Instant.parse("1969-12-31T23:59:59.999999Z"))),
                files);
        assertEquals(List.of(), SceneService.filesOf(null));
    }

    @Test
    void filesOf_unexpectedShape_isAnError() {
        assertThrows(IllegalStateException.class, () -> SceneService.filesOf("[[\"a\", \"original\", \"12\", null, 1]]"));
        assertThrows(IllegalStateException.class, () -> SceneService.filesOf("[[\"a\", \"original\", 12, null, 1, 2]]"));
        assertThrows(IllegalStateException.class, () -> SceneService.filesOf("{}"));
    }

    /** Shapes that were read quietly before: an element not an array, a typed content type, an unknown kind, a tail. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "[[\"a\", \"original\", 12, null, 1], 5]",
            "[[\"a\", \"original\", 12, null, 1], {\"b\": 1}]",
            "[[\"a\", \"original\", 12, 7, 1]]",
            "[[\"a\", \"original\", 12, true, 1]]",
            "[[\"a\", \"thumbnail\", 12, null, 1]]",
            "[[\"a\", \"original\", 12, null, 1]] [[\"b\", \"original\", 1, null, 1]]",
            "[[\"a\", \"original\", 12, null, 1]] 5"})
    void filesOf_oddShape_errorNamingIt(String json) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SceneService.filesOf(json));
        assertTrue(e.getMessage().contains("shape") && e.getMessage().contains(json), e.getMessage());
    }

    @Test
    void options_normalizedOncePerStoredText() {
        // jsonb's own key order and spacing; the answer is ProcessingOptions' field order.
        String stored = "{\"outputs\": [\"glb\", \"spz\"], \"to_frame\": null, \"transforms\": [], "
                + "\"from_frame\": null, \"spz_version\": 3}";
        JsonNode first = SceneService.options(stored);
        assertEquals("{\"outputs\":[\"spz\",\"glb\"],\"transforms\":[],\"from_frame\":null,\"to_frame\":null,"
                + "\"spz_version\":3}", first.toString());
        assertSame(first, SceneService.options(new String(stored))); // remembered by text, not by identity
        assertNull(SceneService.options(null));
    }

    @Test
    void options_noLongerValid_answeredAsStored() {
        String stored = "{\"outputs\": [\"gone\"], \"spz_version\": 3}";
        assertEquals("{\"outputs\":[\"gone\"],\"spz_version\":3}", SceneService.options(stored).toString());
    }

    @Test
    void options_cacheStaysBounded() {
        JsonNode kept = null;
        for (int v = 0; v < 3 * SceneService.OPTIONS_CACHE_MAX; v++) {
            // many distinct texts (as many uploads' own transforms would be): each still normalized correctly
            JsonNode n = SceneService.options("{\"transforms\": [\"scale=" + v + "\"]}");
            assertEquals("[\"scale=" + v + "\"]", n.get("transforms").toString());
            kept = n;
        }
        assertTrue(SceneService.optionsCached() <= SceneService.OPTIONS_CACHE_MAX);
        assertSame(kept, SceneService.options("{\"transforms\": [\"scale=" + (3 * SceneService.OPTIONS_CACHE_MAX - 1) + "\"]}"));
    }
}
