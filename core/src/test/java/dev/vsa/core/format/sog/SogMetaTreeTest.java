package dev.vsa.core.format.sog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.testing.SyntheticSplats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * meta.json's tree, streamed without an ObjectMapper, is the one an ObjectMapper reads (node types included); content
 * after the value, which an ObjectMapper leaves unread, is refused.
 */
class SogMetaTreeTest {
    /** What SogMeta used before: an ObjectMapper rejecting duplicate keys. */
    private static final ObjectMapper MAPPER = new ObjectMapper().configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true);

    @TempDir
    Path dir;

    @Test
    void tree_writtenMetaJson_sameAsObjectMapper() throws Exception {
        Path sog = SyntheticSplats.write(dir.resolve("a.sog"), SplatFormat.SOG, SyntheticSplats.layout(3), 700, 3);
        byte[] meta;
        try (ZipFile z = new ZipFile(sog.toFile())) {
            meta = z.getInputStream(z.getEntry("meta.json")).readAllBytes();
        }
        assertEquals(MAPPER.readTree(meta), SogMeta.tree(meta));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"a\":1,\"b\":-2147483649,\"c\":123456789012345678901234567890,\"d\":1.5e3,\"e\":-0.0}",
            "{\"a\":[1,[2,{\"x\":null}],true,false,\"s\\u00e9\"],\"b\":{}}",
            "[]", "7", "\"text\"", "  {\"a\":1}  "})
    void tree_values_sameNodesAsObjectMapper(String json) throws Exception {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        var expected = MAPPER.readTree(b);
        var actual = SogMeta.tree(b);
        assertEquals(expected, actual);
        assertEquals(expected.toString(), actual.toString()); // int, long, big integer, double kept apart
    }

    @Test
    void tree_empty_null() throws Exception {
        assertNull(SogMeta.tree(new byte[0]));
        assertNull(SogMeta.tree("  \n".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1,\"a\":2}", "{\"a\":", "{\"a\":1", "[1,2", "{\"a\" 1}", "[1,]x", "{a:1}"})
    void tree_badJson_refusedAsObjectMapperDoes(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        assertThrows(JsonProcessingException.class, () -> MAPPER.readTree(b));
        assertThrows(JsonProcessingException.class, () -> SogMeta.tree(b));
    }

    @Test
    void tree_contentAfterTheValue_refused() {
        assertThrows(JsonProcessingException.class, () -> SogMeta.tree("{\"a\":1} {}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void parse_duplicateKey_badMetaOneLine() {
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> SogMeta.parse("{\"version\":2,\"version\":2}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(ErrorCode.SOG_BAD_META, e.code());
        assertTrue(e.getMessage().contains("Duplicate field 'version'"), e.getMessage());
    }

    @Test
    void tree_deepNesting_refused() {
        byte[] b = ("[".repeat(40) + "]".repeat(40)).getBytes(StandardCharsets.UTF_8);
        assertThrows(JsonProcessingException.class, () -> SogMeta.tree(b));
    }

    /** A JSON syntax error in meta.json or lod-meta.json reads in vsa's words, one line, with where it stopped. */
    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1", "{\"a\" 1}", "[1,2", "{\"means\": {\"mins\": [1,\n"})
    void parse_badJson_vsaWordsAtAByte(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        MalformedInputException sog = assertThrows(MalformedInputException.class, () -> SogMeta.parse(b));
        MalformedInputException lod = assertThrows(MalformedInputException.class,
                () -> LodMeta.parse(new ByteArrayInputStream(b)));
        for (MalformedInputException e : List.of(sog, lod)) {
            assertEquals(ErrorCode.SOG_BAD_META, e.code(), e.toString());
            assertFalse(e.getMessage().contains("[Source") || e.getMessage().contains("REDACTED"), e.toString());
            assertFalse(e.getMessage().contains("\n"), e.toString());
            assertTrue(e.where() != null && e.where().matches("byte \\d+"), e.toString());
        }
    }
}
