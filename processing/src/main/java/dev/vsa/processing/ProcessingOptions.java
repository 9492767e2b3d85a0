package dev.vsa.processing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vsa.core.transform.Transform;
import dev.vsa.processing.internal.Json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a process job makes of a scene: which outputs, the splat transforms (in the CLI's {@code -t} syntax, parsed
 * by core's one parser, {@link Transform#parse}), an optional frame change applied after them (as {@code vsa
 * convert --from-frame/--to-frame} does), and the SPZ version written. Given at upload or on re-processing,
 * stored with the scene ({@code scenes.processing_options}) and in the job's payload.
 *
 * <p>JSON form (the API's field names; every field optional, absent means the default):
 * <pre>{@code
 * {"outputs": ["spz", "glb"], "transforms": ["sort=morton"], "from_frame": "RUB", "to_frame": "RDF", "spz_version": 3}
 * }</pre>
 * {@link #DEFAULTS} is what every upload got before options existed: spz, glb and the preview, no transforms,
 * SPZ 4. The validation report is always made (it decides whether the scene is valid), whatever the outputs.
 *
 * @param outputs    what to make; not empty (kept in the order of {@link Output}, whatever order it came in)
 * @param transforms transform steps as written ({@code translate=1,2,3}, {@code sort=morton}, ...), in order
 * @param fromFrame  the frame the splats are in (3 letters, e.g. {@code RUB}), or null; with {@code toFrame}
 * @param toFrame    the frame wanted in the outputs, or null; with {@code fromFrame}
 * @param spzVersion the SPZ version written: 3 (gzip) or 4 (zstd); null for the default, 4, with an SPZ original
 *                   of any version kept as it is (not rewritten as {@code scene.spz})
 */
public record ProcessingOptions(Set<Output> outputs, List<String> transforms, String fromFrame, String toFrame,
                                Integer spzVersion) {
    /** The SPZ version written when none is asked for. */
    public static final int DEFAULT_SPZ_VERSION = 4;

    /** Today's behaviour: spz, glb and preview; no transforms; SPZ 4. */
    public static final ProcessingOptions DEFAULTS = new ProcessingOptions(
            EnumSet.of(Output.SPZ, Output.GLB, Output.PREVIEW), List.of(), null, null, null);

    /** Most transform steps one scene may ask for (each is a pass over its splats). */
    public static final int MAX_TRANSFORMS = 32;

    private static final Set<String> FIELDS = Set.of("outputs", "transforms", "from_frame", "to_frame", "spz_version");

    /** One thing a process job can make. */
    public enum Output {
        /** {@code scene.spz} (splat scenes). */
        SPZ,
        /** {@code scene.glb}: KHR_gaussian_splatting for splats, the binary form of a .gltf mesh. */
        GLB,
        /** {@code scene.sog}, PlayCanvas SOG (splat scenes; needs WebP support on the worker). */
        SOG,
        /** {@code scene.ply}, a 3DGS PLY (splat scenes). */
        PLY,
        /** {@code preview.png} and a thumbnail. */
        PREVIEW;

        /** The name in the API and on the command line: {@code spz}, {@code glb}, ... */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * @throws InvalidRequestException (field {@code outputs}) naming the value and the accepted ones
         */
        public static Output parse(String id) {
            for (Output o : values()) {
                if (o.id().equalsIgnoreCase(id == null ? "" : id.strip())) {
                    return o;
                }
            }
            throw new InvalidRequestException("outputs", "unknown output '" + id + "' (spz, glb, sog, ply or preview)");
        }
    }

    /**
     * Checks everything a job would otherwise fail on later: a bad transform, a bad or lone frame, an SPZ version
     * vsa does not write, no outputs.
     *
     * @throws InvalidRequestException naming the field ({@code outputs}, {@code transforms}, {@code from_frame},
     *                                 {@code to_frame}, {@code spz_version}) and the bad value
     */
    public ProcessingOptions {
        if (outputs == null || outputs.isEmpty()) {
            throw new InvalidRequestException("outputs", "outputs must name at least one of spz, glb, sog, ply, preview");
        }
        outputs = Collections.unmodifiableSet(EnumSet.copyOf(outputs)); // iterates in the enum's order
        transforms = transforms == null ? List.of() : List.copyOf(transforms);
        if (transforms.size() > MAX_TRANSFORMS) {
            throw new InvalidRequestException("transforms", "at most " + MAX_TRANSFORMS + " transform steps, got "
                    + transforms.size());
        }
        for (String t : transforms) {
            try {
                Transform.parse(t);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("transforms", e.getMessage());
            }
        }
        if ((fromFrame == null) != (toFrame == null)) {
            throw new InvalidRequestException(fromFrame == null ? "from_frame" : "to_frame",
                    "from_frame and to_frame go together");
        }
        if (fromFrame != null) {
            fromFrame = frame("from_frame", fromFrame);
            toFrame = frame("to_frame", toFrame);
        }
        if (spzVersion != null && spzVersion != 3 && spzVersion != 4) {
            throw new InvalidRequestException("spz_version", "spz_version must be 3 (gzip) or 4 (zstd), was "
                    + spzVersion + " (vsa reads SPZ 2 but writes 3 or 4)");
        }
    }

    private static String frame(String field, String name) {
        try {
            return new Transform.Frame(name, "RDF").from();
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field, field + ": " + e.getMessage());
        }
    }

    /** The core steps: the transforms in order, then the frame change if one is given. */
    public List<Transform> steps() {
        List<Transform> out = new ArrayList<>();
        for (String t : transforms) {
            out.add(Transform.parse(t));
        }
        if (fromFrame != null) {
            out.add(new Transform.Frame(fromFrame, toFrame));
        }
        return List.copyOf(out);
    }

    /** The SPZ version to write. */
    public int spzWriteVersion() {
        return spzVersion == null ? DEFAULT_SPZ_VERSION : spzVersion;
    }

    /** Whether the splats are changed on their way to the outputs (a transform or a frame change). */
    public boolean transformsSplats() {
        return !transforms.isEmpty() || fromFrame != null;
    }

    /** The JSON form (all fields, outputs in a fixed order). */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        ArrayNode out = o.putArray("outputs");
        outputs.forEach(x -> out.add(x.id()));
        ArrayNode t = o.putArray("transforms");
        transforms.forEach(t::add);
        o.put("from_frame", fromFrame);
        o.put("to_frame", toFrame);
        o.put("spz_version", spzVersion);
        return o;
    }

    /**
     * Reads the JSON form; absent fields (or a null node) take the defaults.
     *
     * @throws InvalidRequestException naming the field if a value is bad or a field is unknown
     */
    public static ProcessingOptions fromJson(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return DEFAULTS;
        }
        if (!n.isObject()) {
            throw new InvalidRequestException("options", "options must be a JSON object");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new InvalidRequestException(f, "unknown option '" + f + "' (outputs, transforms, from_frame, "
                        + "to_frame, spz_version)");
            }
        }
        Set<Output> outputs = DEFAULTS.outputs;
        if (n.hasNonNull("outputs")) {
            outputs = EnumSet.noneOf(Output.class);
            for (String s : strings(n.get("outputs"), "outputs")) {
                outputs.add(Output.parse(s));
            }
        }
        List<String> transforms = n.hasNonNull("transforms") ? strings(n.get("transforms"), "transforms") : List.of();
        Integer spz = null;
        JsonNode v = n.get("spz_version");
        if (v != null && !v.isNull()) {
            if (!v.canConvertToInt() || !v.isIntegralNumber()) {
                throw new InvalidRequestException("spz_version", "spz_version must be 3 or 4, was " + v);
            }
            spz = v.intValue();
        }
        return new ProcessingOptions(outputs, transforms, text(n, "from_frame"), text(n, "to_frame"), spz);
    }

    /**
     * The options from separate values (query parameters, CLI flags): null or empty means the default.
     *
     * @param outputs comma-separated list, e.g. {@code spz,glb}
     * @throws InvalidRequestException naming the field if a value is bad
     */
    public static ProcessingOptions of(String outputs, Collection<String> transforms, String fromFrame, String toFrame,
                                       String spzVersion) {
        Set<Output> out = DEFAULTS.outputs;
        if (outputs != null && !outputs.isBlank()) {
            out = EnumSet.noneOf(Output.class);
            for (String s : outputs.split(",")) {
                out.add(Output.parse(s));
            }
        }
        Integer spz = null;
        if (spzVersion != null && !spzVersion.isBlank()) {
            try {
                spz = Integer.parseInt(spzVersion.strip());
            } catch (NumberFormatException e) {
                throw new InvalidRequestException("spz_version", "spz_version must be 3 or 4, was '" + spzVersion + "'");
            }
        }
        return new ProcessingOptions(out, transforms == null ? List.of() : List.copyOf(transforms),
                blankToNull(fromFrame), blankToNull(toFrame), spz);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static List<String> strings(JsonNode n, String field) {
        if (!n.isArray()) {
            throw new InvalidRequestException(field, field + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode x : n) {
            if (!x.isTextual()) {
                throw new InvalidRequestException(field, field + " must be an array of strings");
            }
            out.add(x.asText());
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidRequestException(field, field + " must be a string such as RDF");
        }
        return v.asText();
    }
}
