package dev.vsa.cli.commands;

import dev.vsa.core.splat.SplatFormat;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * {@code --to FORMAT} of {@code convert} and {@code merge}: the output format, else OUT's file-name ending's. Besides
 * the writable formats it takes {@code html} (convert's self-contained viewer page), as an OUT ending in .html does.
 */
public final class OutputFormatMixin {
    /** The {@code --to} value for a self-contained viewer page. */
    static final String HTML = "html";

    @Option(names = "--to", paramLabel = "FORMAT", converter = ToConverter.class, completionCandidates = Targets.class,
            description = "Output format: ${COMPLETION-CANDIDATES}. Default: from OUT's ending.")
    String to;

    /** Whether {@code --to} was given. */
    boolean given() {
        return to != null;
    }

    /** Whether the output is an .html viewer page: {@code --to html}, or no {@code --to} and OUT ending in .html. */
    boolean html(Path out) {
        return to != null ? HTML.equals(to) : out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".html");
    }

    /**
     * The format given, else the one {@code out}'s file name ends like.
     *
     * @throws IllegalArgumentException if none was given and the ending names no format (the message lists them), or
     *                                  the output is an .html page (ask {@link #html} first)
     */
    SplatFormat of(Path out) {
        if (html(out)) {
            throw new IllegalArgumentException("this command writes no .html page: write a splat file, then "
                    + "`vsa convert FILE page.html`");
        }
        if (to != null) {
            return SplatFormat.byId(to).orElseThrow();
        }
        return SplatFormat.byFileName(out.getFileName().toString())
                .orElseThrow(() -> new IllegalArgumentException("cannot tell the output format from '"
                        + out.getFileName() + "': add --to FORMAT (one of " + String.join(", ", ids()) + ")"));
    }

    /** The writable formats' ids, then {@code html}. */
    static List<String> ids() {
        List<String> ids = new ArrayList<>(Formats.writableIds());
        ids.add(HTML);
        return ids;
    }

    /** Completion candidates and the help's list: {@link #ids()}. */
    public static final class Targets implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ids().iterator();
        }
    }

    /** A writable format's id (as {@link Formats.Converter} checks it), or {@code html}. */
    public static final class ToConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (HTML.equalsIgnoreCase(value.strip())) {
                return HTML;
            }
            try {
                return new Formats.Converter().convert(value).id();
            } catch (picocli.CommandLine.TypeConversionException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage().replace(
                        String.join(", ", Formats.writableIds()) + ")", String.join(", ", ids()) + ")"));
            }
        }
    }
}
