package dev.vsa.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table for human output: columns padded to their widest cell, numbers right-aligned.
 * <pre>{@code
 * Table t = new Table("file", "status", "splats");
 * t.row("a.ply", "ok", 1000);
 * t.print(out);
 * }</pre>
 */
public final class Table {
    /** Cells that read as a number (optionally with a size unit) are right-aligned like numbers. */
    private static final java.util.regex.Pattern NUMBER =
            java.util.regex.Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?( ?([KMGT]?B|s))?|NaN|-");
    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] numeric;

    /** A table with these column headers. */
    public Table(String... headers) {
        this.headers = headers.clone();
        this.numeric = new boolean[headers.length];
        Arrays.fill(numeric, true);
    }

    /** Adds a row; {@code null} cells print as {@code -}; numbers are right-aligned. */
    public Table row(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table " + headers.length);
        }
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            Object c = cells[i];
            r[i] = c == null ? "-" : c.toString();
            if (c != null && !(c instanceof Number) && !NUMBER.matcher(r[i]).matches()) {
                numeric[i] = false;
            }
        }
        rows.add(r);
        return this;
    }

    /** Rows added so far. */
    public int size() {
        return rows.size();
    }

    /** Prints the header, a rule and the rows. */
    public void print(PrintWriter out) {
        int[] w = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            w[i] = headers[i].length();
        }
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        line(out, headers, w, false);
        String[] rule = new String[headers.length];
        for (int i = 0; i < rule.length; i++) {
            rule[i] = "-".repeat(w[i]);
        }
        line(out, rule, w, false);
        for (String[] r : rows) {
            line(out, r, w, true);
        }
    }

    private void line(PrintWriter out, String[] cells, int[] w, boolean alignNumbers) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                sb.append("  ");
            }
            String c = cells[i];
            boolean right = alignNumbers && numeric[i] && rows.size() > 0;
            String pad = " ".repeat(w[i] - c.length());
            sb.append(right ? pad + c : (i == cells.length - 1 ? c : c + pad));
        }
        out.println(sb.toString().stripTrailing());
    }

    /**
     * {@code 1 error}, {@code 2 errors}: a count and its noun, plural ({@code noun + "s"}) when it is not one: how
     * text output says how many of something there are.
     */
    public static String count(long n, String noun) {
        return count(n, noun, noun + "s");
    }

    /** As {@link #count(long, String)} for a noun whose plural is not its singular + s: {@code 1 mesh, 2 meshes}. */
    public static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }

    /** Human byte size: {@code 1.5 MB}, {@code 512 B}. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
