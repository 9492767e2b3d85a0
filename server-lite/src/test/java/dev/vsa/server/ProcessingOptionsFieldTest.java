package dev.vsa.server;

import dev.vsa.processing.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The upload's multipart 'options' field as JSON: one value, nothing after it. */
class ProcessingOptionsFieldTest {
    @Test
    void optionsField_trailingContent_refused() throws Exception {
        assertEquals(2, ProcessingOptionsApi.optionsField("{\"a\": 2} \n".getBytes(StandardCharsets.UTF_8)).path("a").asInt());
        for (String field : new String[] {"{\"a\": 1}{\"b\": 2}", "{\"a\": 1} junk"}) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class,
                    () -> ProcessingOptionsApi.optionsField(field.getBytes(StandardCharsets.UTF_8)), field);
            assertTrue(e.getMessage().contains("the options field is not valid JSON at line 1, column "), e.getMessage());
        }
    }
}
