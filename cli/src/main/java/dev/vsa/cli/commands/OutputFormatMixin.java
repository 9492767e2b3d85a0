package dev.vsa.cli.commands;

import dev.vsa.core.splat.SplatFormat;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --to FORMAT} of {@code convert} and {@code merge}: the output format, else OUT's file-name ending's. */
public final class OutputFormatMixin {
    @Option(names = "--to", paramLabel = "FORMAT", converter = Formats.Converter.class,
            completionCandidates = Formats.Writable.class,
            description = "Output format: ${COMPLETION-CANDIDATES}. Default: from OUT's ending.")
    SplatFormat to;

    /** Whether {@code --to} was given. */
    boolean given() {
        return to != null;
    }

    /**
     * The format given, else the one {@code out}'s file name ends like.
     *
     * @throws IllegalArgumentException if none was given and the ending names no format (the message lists them)
     */
    SplatFormat of(Path out) {
        if (to != null) {
            return to;
        }
        return SplatFormat.byFileName(out.getFileName().toString())
                .orElseThrow(() -> new IllegalArgumentException("cannot tell the output format from '"
                        + out.getFileName() + "': add --to FORMAT (one of " + String.join(", ", Formats.writableIds())
                        + ")"));
    }
}
