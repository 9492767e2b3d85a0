package dev.vsa.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Jackson's refusals of a request body, as the person who sent it reads them. */
class JsonIoTest {
    @Test
    void parseObject_trailingContent_400() {
        JsonIo io = new JsonIo(new ObjectMapper());
        assertEquals(1, io.parseObject("{\"a\": 1}  \n".getBytes(StandardCharsets.UTF_8)).path("a").asInt());
        for (String body : new String[] {"{\"a\": 1}{\"b\": 2}", "{\"a\": 1} junk"}) {
            ApiException e = assertThrows(ApiException.class,
                    () -> io.parseObject(body.getBytes(StandardCharsets.UTF_8)), body);
            assertEquals(400, e.status(), body);
            assertTrue(e.getMessage().startsWith("the body is not valid JSON at line 1, column "), e.getMessage());
            assertFalse(e.getMessage().contains("`"), e.getMessage());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // too deep: past a limit (it may be valid JSON), without Jackson's API name for the limit
        "DEEP|the body is past a limit: Document nesting depth (1001) exceeds the maximum allowed (1000)",
        // a comment and NaN: not JSON, without the Jackson features that would allow them
        "/* hi */ {}|the body is not valid JSON at line 1, column 1: Unexpected character ('/' (code 47)): maybe a (non-standard) comment?",
        "{\"a\": NaN}|the body is not valid JSON at line 1, column 10: Non-standard token 'NaN'"})
    void notValid_jacksonRefusal_vsaWordsNoApiNames(String body, String expected) {
        String json = body.equals("DEEP") ? "[".repeat(1001) + "]".repeat(1001) : body;
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> new ObjectMapper().readTree(json));
        assertEquals(expected, JsonIo.notValid("the body", e));
    }
}
