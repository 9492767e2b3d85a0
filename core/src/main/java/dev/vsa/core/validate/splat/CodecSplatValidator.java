package dev.vsa.core.validate.splat;

import dev.vsa.core.error.ErrorCode;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.format.Codecs;
import dev.vsa.core.format.SplatCodec;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFileInfo;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.validate.Info;
import dev.vsa.core.validate.IssueSink;
import dev.vsa.core.validate.Severity;
import dev.vsa.core.validate.SplatFileValidator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates one splat format by reading the whole file once through that format's reader: header and
 * count problems are the reader's errors (reported with the reader's {@code ErrorCode} name as the code), the
 * values are checked by {@link SplatChecks}. The format's codec decides which files it accepts.
 */
final class CodecSplatValidator implements SplatFileValidator {
    /** Code of a reader that delivered a different number of splats than its header declared. */
    static final String COUNT_MISMATCH = "SPLAT_COUNT_MISMATCH";
    /** Code of a file that holds no splat. */
    static final String EMPTY = "SPLAT_EMPTY";
    /** Code of bytes after a binary PLY's body, which readers ignore. */
    static final String TRAILING_DATA = "SPLAT_TRAILING_DATA";
    /** Code listing per-splat properties vsa keeps but does not interpret. */
    static final String EXTRA_PROPERTIES = "SPLAT_EXTRA_PROPERTIES";
    private static final Pattern AT_BYTE = Pattern.compile("^byte (\\d+)$");

    private final SplatFormat format;
    private final String mimeType;
    private final boolean byName;

    /**
     * @param byName whether a match by file name alone is enough (formats without magic, and files a codec
     *               claims by name so that a damaged one gets that format's error codes)
     */
    CodecSplatValidator(SplatFormat format, String mimeType, boolean byName) {
        this.format = format;
        this.mimeType = mimeType;
        this.byName = byName;
    }

    SplatFormat format() {
        return format;
    }

    private SplatCodec codec() {
        return Codecs.forFormat(format);
    }

    @Override
    public boolean accepts(ByteBuffer head, long fileSize, String fileName) {
        SplatCodec.Match m = codec().sniff(head.duplicate(), fileSize, fileName);
        return m == SplatCodec.Match.BY_CONTENT || (byName && m == SplatCodec.Match.BY_NAME);
    }

    @Override
    public String mimeType() {
        return mimeType;
    }

    @Override
    public Info validate(Path file, IssueSink sink) throws IOException {
        SplatFileInfo header;
        SplatChecks checks;
        try (SplatReader reader = codec().openReader(file)) {
            header = reader.info();
            checks = new SplatChecks(header.layout());
            SplatBatch batch = new SplatBatch(header.layout(),
                    (int) Math.max(1, Math.min(SplatBatch.DEFAULT_CAPACITY, header.count())));
            try {
                while (reader.read(batch) > 0) {
                    checks.accept(batch);
                }
            } catch (MalformedInputException e) {
                report(sink, e);
                checks.report(sink);
                return info(header, checks.rows());
            }
        } catch (MalformedInputException e) {
            report(sink, e);
            return null;
        } catch (UnsupportedOperationException e) {
            // the format needs what this JVM lacks (SOG without the WebP library): the file is not judged
            sink.at(null, ErrorCode.UNSUPPORTED_FEATURE.name(), Severity.ERROR, e.getMessage());
            return null;
        }
        if (checks.rows() != header.count()) {
            sink.at(null, COUNT_MISMATCH, Severity.ERROR, "The header declares " + header.count()
                    + " splats, the file holds " + checks.rows() + ".");
        }
        if (format == SplatFormat.PLY || format == SplatFormat.COMPRESSED_PLY) {
            long expected = PlyLength.expected(file);
            if (expected >= 0 && header.fileSize() > expected) {
                sink.atByte(expected, TRAILING_DATA, Severity.WARNING, (header.fileSize() - expected)
                        + " bytes follow the PLY body its header describes; readers ignore them.");
            }
        }
        if (header.count() == 0) {
            sink.at(null, EMPTY, Severity.WARNING, "The file holds no splats.");
        }
        if (!header.layout().extras().isEmpty()) {
            sink.at(null, EXTRA_PROPERTIES, Severity.INFO, "Per-splat properties vsa keeps but does not interpret: "
                    + String.join(", ", header.layout().extras()) + ".");
        }
        checks.report(sink);
        return info(header, header.count());
    }

    private static Info info(SplatFileInfo header, long count) {
        String version = header.version() > 0 ? Integer.toString(header.version()) : null;
        return new Info(version, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, count, header.layout().shDegree());
    }

    // The reader's code and position; "byte N" becomes the issue's offset, other places go into the message.
    private static void report(IssueSink sink, MalformedInputException e) {
        String where = e.where();
        String message = e.getMessage() == null ? e.code().summary() : e.getMessage();
        if (where != null) {
            Matcher m = AT_BYTE.matcher(where);
            if (m.matches()) {
                sink.atByte(Long.parseLong(m.group(1)), e.code().name(), Severity.ERROR, message);
                return;
            }
            if (where.startsWith("/")) {
                sink.at(where, e.code().name(), Severity.ERROR, message);
                return;
            }
            message = message + " (at " + where + ")";
        }
        sink.at(null, e.code().name(), Severity.ERROR, message);
    }
}
