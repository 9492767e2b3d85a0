package dev.vsa.core.gltf.resource;

import com.fasterxml.jackson.core.JacksonException;
import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Jackson's refusals as {@link BoundedJson#malformed} words them: no Jackson API names (a file's author has none). */
class BoundedJsonMessageTest {
    private static MalformedInputException refusal(String json) {
        JacksonException e = assertThrows(JacksonException.class, () -> new BoundedJson(16, 1 << 20)
                .read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
        return BoundedJson.malformed(e, "meta.json", ErrorCode.SOG_BAD_META);
    }

    @Test
    void malformed_tooDeep_limitWithoutJacksonNames() {
        MalformedInputException e = refusal("[".repeat(40) + "]".repeat(40));
        assertEquals(ErrorCode.LIMIT_EXCEEDED, e.code());
        assertEquals("meta.json is past a limit: Document nesting depth (17) exceeds the maximum allowed (16)",
                e.getMessage().substring(e.getMessage().indexOf("meta.json")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/* a comment */ {}", "{\"a\": NaN}", "{\"a\": 1} // a comment"})
    void malformed_nonStandardJson_noJacksonFeatureNamed(String json) {
        MalformedInputException e = refusal(json);
        assertEquals(ErrorCode.SOG_BAD_META, e.code());
        assertFalse(e.getMessage().contains("Feature") || e.getMessage().contains("`"), e.getMessage());
    }
}
