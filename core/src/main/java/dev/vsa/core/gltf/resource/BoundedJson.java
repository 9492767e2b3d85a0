package dev.vsa.core.gltf.resource;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.regex.Pattern;

/**
 * Reads glTF JSON into a Jackson tree from a stream (the file's bytes are never held whole), with an explicit stack
 * instead of recursion and no ObjectMapper (whose start-up costs more than reading a small file). Limits: nesting
 * depth, document length, and the {@link JsonBudget}: every node is charged its approximate heap cost as it is
 * built, and a string longer than a quarter of the budget is stopped while Jackson still buffers it.
 *
 * <pre>{@code
 * ObjectNode root = new BoundedJson(256, 512L << 20).readObject(in, "the glTF JSON");
 * }</pre>
 */
public final class BoundedJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(false);
    // JsonLocation.toString(): the source's description, then line and column for text, else the byte offset
    private static final Pattern JACKSON_LOCATION = Pattern.compile(
            "\\[Source: .*?; (?:line: (\\d+), column: (\\d+)|byte offset: #(\\d+)|[^\\]]*)\\]");
    // Where Jackson's messages name its own API: a limit's source, a feature to enable
    private static final Pattern JACKSON_API = Pattern.compile(
            ", from `[^`]*`|\\s*\\(not recognized as one since Feature '[^']*' not enabled for parser\\)"
                    + "|: enable `[^`]*` to allow| \\(bound as `[^`]*`\\)|: not allowed as per `[^`]*`");
    // Approximate heap cost of what the tree keeps (64-bit JVM, compressed references): an ObjectNode with its
    // LinkedHashMap and table, one map entry, an ArrayNode with its ArrayList, one list slot, a boxed number, and
    // a string's object and array headers. Characters are charged 2 bytes each (the parser's buffer holds them as
    // chars before the String is made).
    static final int OBJECT = 120, FIELD = 48, ARRAY = 96, SLOT = 8, NUMBER = 24, STRING = 48;

    /** The tree would take more than the budget. */
    public static final class OverBudget extends IOException {
        private static final long serialVersionUID = 1L;
        private final long budget;
        private final long offset;

        OverBudget(long budget, long offset) {
            super("needs more memory than its budget to read" + (offset >= 0 ? " (stopped at byte " + offset + ")" : "")
                    + "; " + JsonBudget.describe(budget));
            this.budget = budget;
            this.offset = offset;
        }

        /** The budget that was exceeded, in bytes. */
        public long budget() {
            return budget;
        }

        /** Byte offset in the JSON where reading stopped. */
        public long offset() {
            return offset;
        }
    }

    private final int maxDepth;
    private final long maxDocumentBytes;
    private final boolean uniqueNames;

    /**
     * An object naming a member twice is read with the last value, as most JSON readers do.
     *
     * @param maxDepth         deepest nesting accepted
     * @param maxDocumentBytes longest document accepted
     */
    public BoundedJson(int maxDepth, long maxDocumentBytes) {
        this(maxDepth, maxDocumentBytes, false);
    }

    /**
     * @param maxDepth         deepest nesting accepted
     * @param maxDocumentBytes longest document accepted
     * @param uniqueNames      refuse an object naming a member twice (a {@link JsonParseException}) instead of
     *                         keeping the last value
     */
    public BoundedJson(int maxDepth, long maxDocumentBytes, boolean uniqueNames) {
        this.maxDepth = maxDepth;
        this.maxDocumentBytes = maxDocumentBytes;
        this.uniqueNames = uniqueNames;
    }

    /**
     * Parses one JSON value; trailing non-white-space content is an error.
     *
     * @return the root, or null for empty input
     * @throws OverBudget      if the tree would take more than {@link JsonBudget#bytes()}
     * @throws IOException     (a {@link JacksonException}) on malformed JSON, too deep nesting or a too long document
     */
    public JsonNode read(InputStream in) throws IOException {
        long budget = JsonBudget.bytes();
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxStringLength((int) Math.max(1, Math.min(Integer.MAX_VALUE - 16, budget / 4)))
                        .maxNameLength((int) Math.max(1, Math.min(Integer.MAX_VALUE - 16, budget / 4)))
                        .maxDocumentLength(maxDocumentBytes)
                        .maxNumberLength(1000)
                        .build())
                .configure(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION, uniqueNames)
                .build();
        try (JsonParser p = factory.createParser(in)) {
            return build(p, budget);
        } catch (StreamConstraintsException e) {
            String m = String.valueOf(e.getOriginalMessage());
            if (m.contains("String value length") || m.contains("Name length")) {
                throw new OverBudget(budget, e.getLocation() == null ? -1 : e.getLocation().getByteOffset());
            }
            throw e;
        }
    }

    private static JsonNode build(JsonParser p, long budget) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            return null;
        }
        long used = 0;
        ArrayDeque<ContainerNode<?>> stack = new ArrayDeque<>();
        JsonNode root = null;
        String field = null;
        for (; t != null; t = p.nextToken()) {
            JsonNode value;
            switch (t) {
                case FIELD_NAME -> {
                    field = p.currentName();
                    used += FIELD;
                    continue;
                }
                case START_OBJECT -> {
                    value = NODES.objectNode();
                    used += OBJECT;
                }
                case START_ARRAY -> {
                    value = NODES.arrayNode();
                    used += ARRAY;
                }
                case END_OBJECT, END_ARRAY -> {
                    stack.pop();
                    if (stack.isEmpty()) {
                        if (p.nextToken() != null) {
                            throw new JsonParseException(p, "Unexpected content after the JSON value");
                        }
                        return root;
                    }
                    continue;
                }
                case VALUE_STRING -> {
                    used += STRING + 2L * p.getTextLength();
                    value = used > budget ? null : NODES.textNode(p.getText());
                }
                case VALUE_NUMBER_INT -> {
                    used += NUMBER;
                    value = switch (p.getNumberType()) {
                        case INT -> NODES.numberNode(p.getIntValue());
                        case LONG -> NODES.numberNode(p.getLongValue());
                        default -> NODES.numberNode(p.getBigIntegerValue());
                    };
                }
                case VALUE_NUMBER_FLOAT -> {
                    used += NUMBER;
                    value = NODES.numberNode(p.getDoubleValue());
                }
                case VALUE_TRUE -> value = NODES.booleanNode(true);
                case VALUE_FALSE -> value = NODES.booleanNode(false);
                case VALUE_NULL -> value = NODES.nullNode();
                default -> throw new JsonParseException(p, "Unexpected token " + t);
            }
            used += SLOT;
            if (used > budget) {
                throw new OverBudget(budget, p.currentLocation().getByteOffset());
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
                    throw new JsonParseException(p, "Unexpected content after the JSON value");
                }
                return root;
            }
        }
        throw new JsonEOFException(p, null, "Unexpected end of input");
    }

    /**
     * Reads a JSON object for a glTF reader that fails on the first problem.
     *
     * @param what names the JSON in messages ("the glTF JSON", "the GLB's JSON chunk")
     * @throws MalformedInputException {@code GLTF_BAD_JSON} if it is not valid JSON or not an object,
     *                                 {@code LIMIT_EXCEEDED} past the depth, length or memory budget
     * @throws IOException             if reading fails
     */
    public ObjectNode readObject(InputStream in, String what) throws IOException {
        JsonNode node;
        try {
            node = read(in);
        } catch (OverBudget e) {
            throw new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, e.offset() >= 0 ? "byte " + e.offset() : null,
                    what + " " + e.getMessage());
        } catch (JacksonException e) {
            throw malformed(e, what);
        } catch (CharConversionException e) {
            // Jackson guessed UTF-16/32 from the first bytes and met a character no such text can hold; glTF JSON
            // is UTF-8 anyway (found by fuzzing: it escaped as an I/O error)
            throw new MalformedInputException(ErrorCode.GLTF_BAD_JSON, null, what + " is not valid JSON text: "
                    + e.getMessage());
        }
        if (!(node instanceof ObjectNode obj)) {
            throw new MalformedInputException(ErrorCode.GLTF_BAD_JSON, "/", what + " is not a JSON object");
        }
        return obj;
    }

    /**
     * The vsa error for JSON that Jackson refused, for every glTF reader (also those that let a library parse).
     *
     * <pre>{@code
     * catch (JacksonException e) { throw BoundedJson.malformed(e, "the glTF JSON"); }
     * }</pre>
     *
     * @param what names the JSON in the message ("the glTF JSON", "the GLB's JSON chunk")
     * @return {@code LIMIT_EXCEEDED} past a depth or length limit, else {@code GLTF_BAD_JSON}, at the byte where
     *         parsing stopped
     */
    public static MalformedInputException malformed(JacksonException e, String what) {
        return malformed(e, what, ErrorCode.GLTF_BAD_JSON);
    }

    /** As {@link #malformed(JacksonException, String)}, with {@code bad} for JSON that is not valid. */
    public static MalformedInputException malformed(JacksonException e, String what, ErrorCode bad) {
        String where = e.getLocation() == null || e.getLocation().getByteOffset() < 0 ? null
                : "byte " + e.getLocation().getByteOffset();
        if (e instanceof StreamConstraintsException) {
            return new MalformedInputException(ErrorCode.LIMIT_EXCEEDED, where, what + " is past a limit: "
                    + message(e), e);
        }
        return new MalformedInputException(bad, where, what + " is not valid JSON: " + message(e), e);
    }

    /**
     * Where Jackson stopped, as {@code "line L, column C"} (text a person typed, as a request body), or
     * {@code "byte N"}; null if it does not say.
     */
    public static String at(JacksonException e) {
        var loc = e.getLocation();
        if (loc == null) {
            return null;
        }
        if (loc.getLineNr() > 0) {
            return "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        }
        return loc.getByteOffset() >= 0 ? "byte " + loc.getByteOffset() : null;
    }

    /**
     * Jackson's message without its own location syntax: a position it names inside the text (as the start of an
     * object left open, "[Source: REDACTED (`StreamReadFeature...` disabled); line: 2, column: 14]") becomes
     * "line 2, column 14" or "byte N". Jackson's API names, which mean nothing to the person who sent the JSON,
     * go too: "(1000, from `StreamReadConstraints.getMaxNestingDepth()`)" becomes "(1000)", and the features that
     * would have allowed a comment or NaN are not named.
     */
    public static String message(JacksonException e) {
        return JACKSON_API.matcher(JACKSON_LOCATION.matcher(String.valueOf(e.getOriginalMessage())).replaceAll(m ->
                m.group(1) != null ? "line " + m.group(1) + ", column " + m.group(2)
                        : m.group(3) != null ? "byte " + m.group(3) : "an unknown place")).replaceAll("")
                .replaceAll("\\s*\\R\\s*", " "); // one line
    }
}
