package dev.vsa.processing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vsa.core.transform.Transform;
import dev.vsa.processing.internal.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessingOptionsTest {
    @Test
    void fromJson_absent_defaultsAreTodaysOutputs() {
        ProcessingOptions d = ProcessingOptions.fromJson(null);
        assertEquals(EnumSet.of(ProcessingOptions.Output.SPZ, ProcessingOptions.Output.GLB, ProcessingOptions.Output.PREVIEW),
                EnumSet.copyOf(d.outputs()));
        assertEquals(List.of(), d.steps());
        assertEquals(4, d.spzWriteVersion());
        assertEquals(d, ProcessingOptions.fromJson(Json.object()));
    }

    @Test
    void fromJson_roundTrip() throws Exception {
        JsonNode in = Json.MAPPER.readTree("{\"outputs\":[\"ply\",\"spz\"],\"transforms\":[\"sort=morton\",\"scale=2\"],"
                + "\"from_frame\":\"rub\",\"to_frame\":\"RDF\",\"spz_version\":3}");
        ProcessingOptions o = ProcessingOptions.fromJson(in);
        assertEquals("RUB", o.fromFrame());
        assertEquals(3, o.spzWriteVersion());
        // the transforms in order, then the frame change (as vsa convert's -t and --from-frame/--to-frame)
        assertEquals(List.of(new Transform.MortonSort(), new Transform.Scale(2), new Transform.Frame("RUB", "RDF")), o.steps());
        assertEquals(o, ProcessingOptions.fromJson(o.toJson()));
        assertEquals("[\"spz\",\"ply\"]", o.toJson().get("outputs").toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"outputs\":[\"spz\",\"obj\"]}                      | outputs     | unknown output 'obj'",
            "{\"outputs\":[]}                                    | outputs     | at least one",
            "{\"transforms\":[\"rotate=1,2\"]}                    | transforms  | bad transform 'rotate=1,2'",
            "{\"transforms\":[\"explode\"]}                       | transforms  | unknown transform 'explode'",
            "{\"transforms\":\"sort=morton\"}                     | transforms  | array of strings",
            "{\"from_frame\":\"RUB\"}                             | to_frame    | go together",
            "{\"from_frame\":\"XYZ\",\"to_frame\":\"RDF\"}        | from_frame  | 3 letters",
            "{\"spz_version\":2}                                 | spz_version | 3 (gzip) or 4",
            "{\"spz_version\":\"3\"}                             | spz_version | must be 3 or 4",
            "{\"output\":[\"spz\"]}                              | output      | unknown option 'output'",
    })
    void fromJson_bad_namesTheField(String json, String field, String message) throws Exception {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> ProcessingOptions.fromJson(Json.MAPPER.readTree(json)));
        assertEquals(field, e.field());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void of_queryForm() {
        ProcessingOptions o = ProcessingOptions.of("spz, glb", List.of("filter-nan"), "RUB", "RDF", "3");
        assertEquals(EnumSet.of(ProcessingOptions.Output.SPZ, ProcessingOptions.Output.GLB), EnumSet.copyOf(o.outputs()));
        assertTrue(o.transformsSplats());
        assertEquals(ProcessingOptions.DEFAULTS, ProcessingOptions.of(null, null, null, null, null));
        assertFalse(ProcessingOptions.DEFAULTS.transformsSplats());
        assertEquals("spz_version", assertThrows(InvalidRequestException.class,
                () -> ProcessingOptions.of(null, null, null, null, "three")).field());
    }

    @Test
    void outputs_anyOrder_iterateInEnumOrder() {
        // Set.copyOf's order depends on a per-run salt and identity hashes (1 run in 120 it matched this by chance)
        ProcessingOptions o = ProcessingOptions.of("preview,ply,sog,glb,spz", null, null, null, null);
        assertEquals(List.of(ProcessingOptions.Output.values()), List.copyOf(o.outputs()));
    }

    @Test
    void transforms_tooMany() {
        List<String> many = java.util.Collections.nCopies(ProcessingOptions.MAX_TRANSFORMS + 1, "filter-nan");
        assertEquals("transforms", assertThrows(InvalidRequestException.class,
                () -> ProcessingOptions.of(null, many, null, null, null)).field());
    }
}
