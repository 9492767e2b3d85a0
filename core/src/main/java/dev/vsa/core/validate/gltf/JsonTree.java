package dev.vsa.core.validate.gltf;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * Builds a JSON tree from Jackson's streaming parser with an explicit stack (no recursion) and without an
 * ObjectMapper, whose start-up costs more than validating a small file. Limits: nesting depth, document and
 * string length (Jackson's StreamReadConstraints).
 */
final class JsonTree {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(false);

    private final JsonFactory factory;

    JsonTree(int maxDepth, long maxBytes) {
        factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxBytes))
                        .maxDocumentLength(maxBytes)
                        .maxNumberLength(1000)
                        .build())
                .build();
    }

    /**
     * Parses one JSON value; trailing non-white-space content is an error.
     *
     * @return the root, or null for empty input
     * @throws IOException (a JsonProcessingException) on malformed JSON or a limit
     */
    JsonNode read(byte[] bytes, int offset, int length) throws IOException {
        try (JsonParser p = factory.createParser(bytes, offset, length)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            ArrayDeque<ContainerNode<?>> stack = new ArrayDeque<>();
            JsonNode root = null;
            String field = null;
            for (; t != null; t = p.nextToken()) {
                JsonNode value;
                switch (t) {
                    case FIELD_NAME -> {
                        field = p.currentName();
                        continue;
                    }
                    case START_OBJECT -> value = NODES.objectNode();
                    case START_ARRAY -> value = NODES.arrayNode();
                    case END_OBJECT, END_ARRAY -> {
                        stack.pop();
                        if (stack.isEmpty()) {
                            if (p.nextToken() != null) {
                                throw new com.fasterxml.jackson.core.JsonParseException(p, "Unexpected content after the JSON value");
                            }
                            return root;
                        }
                        continue;
                    }
                    case VALUE_STRING -> value = NODES.textNode(p.getText());
                    case VALUE_NUMBER_INT -> value = switch (p.getNumberType()) {
                        case INT -> NODES.numberNode(p.getIntValue());
                        case LONG -> NODES.numberNode(p.getLongValue());
                        default -> NODES.numberNode(p.getBigIntegerValue());
                    };
                    case VALUE_NUMBER_FLOAT -> value = NODES.numberNode(p.getDoubleValue());
                    case VALUE_TRUE -> value = NODES.booleanNode(true);
                    case VALUE_FALSE -> value = NODES.booleanNode(false);
                    case VALUE_NULL -> value = NODES.nullNode();
                    default -> throw new com.fasterxml.jackson.core.JsonParseException(p, "Unexpected token " + t);
                }
                ContainerNode<?> parent = stack.peek();
                if (parent == null) {
                    root = value;
                } else if (parent instanceof ObjectNode o) {
                    o.set(field, value);
                } else {
                    ((ArrayNode) parent).add(value);
                }
                if (value instanceof ContainerNode<?> c) {
                    stack.push(c);
                } else if (parent == null) {
                    if (p.nextToken() != null) {
                        throw new com.fasterxml.jackson.core.JsonParseException(p, "Unexpected content after the JSON value");
                    }
                    return root;
                }
            }
            throw new com.fasterxml.jackson.core.io.JsonEOFException(p, null, "Unexpected end of input");
        }
    }
}
