package dev.vsa.core.validate;

import dev.vsa.core.validate.gltf.GltfValidator;
import dev.vsa.core.validate.splat.SplatValidators;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The one entry point of validation: detects the kind of a file by its content and validates it into a
 * {@link ValidationReport}. Bad content never throws: it becomes issues.
 *
 * <pre>{@code
 * ValidationReport r = Validator.validate(Path.of("scene.glb"), ValidationOptions.defaults());
 * if (!r.isValid(Severity.ERROR)) { r.issues().messages().forEach(System.out::println); }
 * }</pre>
 *
 * <p>Detection: GLB magic {@code glTF} or a JSON object ({@code {}, after white space or a BOM) is glTF; then
 * each {@link SplatFileValidator} is asked; then a {@code .gltf}/{@code .glb} name is validated as glTF (so a
 * broken GLB gets GLB codes); anything else gets one {@link #UNKNOWN_FORMAT} error ({@link #EMPTY_FILE} if empty).
 */
public final class Validator {
    /**
     * Code of the single issue of a file no validator recognises: the same code {@code inspect} and {@code convert}
     * throw for it ({@link dev.vsa.core.error.ErrorCode#UNKNOWN_FORMAT}), so one file gets one code everywhere.
     */
    public static final String UNKNOWN_FORMAT = dev.vsa.core.error.ErrorCode.UNKNOWN_FORMAT.name();
    /** Code of the single issue of an empty file ({@link dev.vsa.core.error.ErrorCode#EMPTY_FILE}, as the readers). */
    public static final String EMPTY_FILE = dev.vsa.core.error.ErrorCode.EMPTY_FILE.name();
    /** The old name of {@link #UNKNOWN_FORMAT}; the code it names is {@code UNKNOWN_FORMAT} now. */
    @Deprecated
    public static final String UNSUPPORTED_FILE = UNKNOWN_FORMAT;
    /** Value of {@link ValidationReport#validatorVersion()}. */
    public static final String VERSION = "vsa 0.1.0";
    /** MIME type of a glTF JSON file. */
    public static final String MIME_GLTF = "model/gltf+json";
    /** MIME type of a GLB file. */
    public static final String MIME_GLB = "model/gltf-binary";

    private static final int SNIFF_BYTES = 4096;

    private Validator() {
    }

    /**
     * Validates a file with default options.
     *
     * @throws IOException if the file cannot be opened or read (a missing file, a directory)
     * @see #validate(Path, ValidationOptions)
     */
    public static ValidationReport validate(Path file) throws IOException {
        return validate(file, ValidationOptions.defaults());
    }

    /**
     * Validates a file: glTF 2.0 (JSON or GLB, with KHR_gaussian_splatting) or a splat format.
     * External glTF resources are resolved next to the file, never outside its folder.
     *
     * @param file    the file to validate
     * @param options limits, ignored codes and overrides
     * @return the report; its {@code validatedAt} is now
     * @throws IOException if the file itself cannot be opened or read
     * @throws IllegalArgumentException if {@code file} or {@code options} is null
     */
    public static ValidationReport validate(Path file, ValidationOptions options) throws IOException {
        if (file == null || options == null) {
            throw new IllegalArgumentException("file and options must not be null");
        }
        IssueSink sink = new IssueSink(options);
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        long size = Files.size(file);
        String lowerName = name.toLowerCase(Locale.ROOT);
        // Not a scene in any format, whatever its name says (a .splat of 0 splats was only a warning); glTF and GLB
        // keep the codes the Khronos validator gives (GLB_UNEXPECTED_END_OF_HEADER, INVALID_JSON).
        if (size == 0 && !lowerName.endsWith(".glb") && !lowerName.endsWith(".gltf")) {
            sink.at(null, EMPTY_FILE, Severity.ERROR, "The file is empty.");
            return new ValidationReport(name, null, VERSION, now, sink.toIssues(), null);
        }
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(SNIFF_BYTES, size));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (head.hasRemaining() && ch.read(head, head.position()) >= 0) {
                // fill what the file has
            }
        }
        head.flip();
        Kind kind = kindOf(head.duplicate());
        String lower = name.toLowerCase(Locale.ROOT);
        // JSON that is not named glTF may be a SOG's meta.json or a LOD set's lod-meta.json (their codecs need the name
        // and the content): those are not glTF, whose validator called them invalid
        if (kind == Kind.NONE || kind == Kind.JSON && !lower.endsWith(".gltf")) {
            for (SplatFileValidator v : SplatValidators.all()) {
                if (v.accepts(head.duplicate(), size, name)) {
                    Info info = v.validate(file, sink);
                    return new ValidationReport(name, v.mimeType(), VERSION, now, sink.toIssues(), info);
                }
            }
            if (lower.endsWith(".glb")) {
                kind = Kind.GLB;
            } else if (lower.endsWith(".gltf")) {
                kind = Kind.JSON;
            }
        }
        if (kind == Kind.NONE) {
            sink.at(null, size == 0 ? EMPTY_FILE : UNKNOWN_FORMAT, Severity.ERROR, size == 0 ? "The file is empty."
                    : "The content is not glTF/GLB or a splat format vsa validates.");
            return new ValidationReport(name, null, VERSION, now, sink.toIssues(), null);
        }
        Info info = GltfValidator.validate(file, kind == Kind.GLB, sink);
        return new ValidationReport(name, kind == Kind.GLB ? MIME_GLB : MIME_GLTF, VERSION, now,
                sink.toIssues(), info);
    }

    private enum Kind { GLB, JSON, NONE }

    private static Kind kindOf(ByteBuffer head) {
        if (head.remaining() >= 4 && head.get(0) == 'g' && head.get(1) == 'l' && head.get(2) == 'T'
                && head.get(3) == 'F') {
            return Kind.GLB;
        }
        int i = 0;
        if (head.remaining() >= 3 && (head.get(0) & 0xFF) == 0xEF && (head.get(1) & 0xFF) == 0xBB
                && (head.get(2) & 0xFF) == 0xBF) {
            i = 3;
        }
        for (; i < head.limit(); i++) {
            byte b = head.get(i);
            if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                continue;
            }
            return b == '{' ? Kind.JSON : Kind.NONE;
        }
        return Kind.NONE;
    }
}
