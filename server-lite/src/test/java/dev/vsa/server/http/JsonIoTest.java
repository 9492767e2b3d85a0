package dev.vsa.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Jackson's refusals of a request body, as the person who sent it reads them. */
class JsonIoTest {
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
