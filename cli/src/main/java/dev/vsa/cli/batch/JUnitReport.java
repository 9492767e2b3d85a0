package dev.vsa.cli.batch;

import dev.vsa.core.validate.Issue;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a batch as JUnit XML (the Ant/Surefire dialect that GitHub Actions reporters, GitLab and Jenkins
 * read): one {@code <testcase>} per file; an invalid file is a {@code <failure>} whose type is its first issue
 * code and whose text lists every issue; a failed file is an {@code <error>}; a skipped one {@code <skipped/>}.
 */
public final class JUnitReport {
    private JUnitReport() {
    }

    /** Writes {@code report} to {@code file} (UTF-8). */
    public static void write(BatchReport report, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(report, w);
        }
    }

    /** Writes {@code report} as XML. */
    public static void write(BatchReport report, Writer w) throws IOException {
        BatchReport.Summary s = report.summary();
        String attrs = " tests=\"" + s.total() + "\" failures=\"" + s.invalid() + "\" errors=\"" + s.failed()
                + "\" skipped=\"" + s.skipped() + "\" time=\"" + secs(report.seconds()) + "\"";
        w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        w.write("<testsuites name=\"vsa batch\"" + attrs + ">\n");
        w.write("  <testsuite name=\"vsa batch --to " + esc(report.to()) + "\"" + attrs + " timestamp=\""
                + esc(report.startedAt()) + "\" hostname=\"localhost\">\n");
        for (FileResult f : report.files()) {
            String name = f.input().replace('\\', '/');
            w.write("    <testcase classname=\"vsa.batch\" name=\"" + esc(name) + "\" file=\"" + esc(name)
                    + "\" time=\"" + secs(f.seconds()) + "\"");
            switch (f.status()) {
                case ok -> w.write("/>\n");
                case skipped -> w.write(">\n      <skipped message=\"output exists (--skip-existing)\"/>\n    </testcase>\n");
                case invalid -> {
                    String type = f.code() != null ? f.code() : codeOf(f.error());
                    w.write(">\n      <failure type=\"" + esc(type) + "\" message=\"" + esc(firstLine(f)) + "\">"
                            + escText(details(f)) + "</failure>\n    </testcase>\n");
                }
                case failed -> w.write(">\n      <error type=\"" + esc(f.code() != null ? f.code() : codeOf(f.error())) + "\" message=\""
                        + esc(firstLine(f)) + "\">" + escText(details(f)) + "</error>\n    </testcase>\n");
                default -> throw new IllegalStateException("unknown status " + f.status());
            }
        }
        w.write("  </testsuite>\n</testsuites>\n");
    }

    private static String firstLine(FileResult f) {
        if (f.error() != null) {
            return f.error();
        }
        if (f.issues() != null && !f.issues().isEmpty()) {
            return f.issues().get(0).toString();
        }
        return f.status().name();
    }

    private static String details(FileResult f) {
        StringBuilder sb = new StringBuilder();
        if (f.error() != null) {
            sb.append(f.error()).append('\n');
        }
        if (f.issues() != null) {
            for (Issue i : f.issues()) {
                sb.append(i).append('\n');
            }
        }
        return sb.toString();
    }

    /** The leading upper-case code of an error line ({@code PLY_TRUNCATED at byte 9: ...}), else {@code ERROR}. */
    private static String codeOf(String error) {
        if (error == null) {
            return "ERROR";
        }
        int end = 0;
        while (end < error.length() && (Character.isUpperCase(error.charAt(end)) || Character.isDigit(error.charAt(end))
                || error.charAt(end) == '_')) {
            end++;
        }
        return end >= 3 && (end == error.length() || error.charAt(end) == ' ' || error.charAt(end) == ':')
                ? error.substring(0, end) : "ERROR";
    }

    private static String secs(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    /** Escapes element text, keeping line breaks. */
    static String escText(String s) {
        return esc(s).replace("&#10;", "\n");
    }

    /** Escapes for XML attributes (and text), dropping characters XML 1.0 forbids. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                case '\n' -> sb.append("&#10;");
                case '\t' -> sb.append("&#9;");
                case '\r' -> sb.append("&#13;");
                default -> {
                    if (c >= 0x20 || c == '\t') {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
