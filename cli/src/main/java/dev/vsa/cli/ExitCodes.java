package dev.vsa.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one exit-code table of {@code vsa}; every command's {@code --help} and the README show it.
 * A command returns one of these or throws {@link ExitException} with one.
 */
public final class ExitCodes {
    /** Success: everything asked was done and every input is valid. */
    public static final int OK = 0;
    /** An input is invalid (or invalid per {@code --fail-on}, or refused by a server as a file), or a job failed. */
    public static final int INVALID = 1;
    /** Usage error: unknown command or option, bad argument (also one a server refused: 400, 422 invalid-field). */
    public static final int USAGE = 2;
    /** I/O, network or server error: any other refusal of a server (401, 403, 404, 409, 429, 5xx ...). */
    public static final int IO = 3;
    /**
     * An internal error: a bug in vsa, not a fault of the input or the environment (so scripts never take it
     * for "invalid input"; run again with {@code --stacktrace} and report it).
     */
    public static final int INTERNAL = 4;

    /** Code to description, as shown under "Exit codes:" in {@code --help}. */
    public static final Map<String, String> HELP_TABLE;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Integer.toString(OK), "success");
        m.put(Integer.toString(INVALID), "the input is invalid (or a server refused the file: too large, not a scene "
                + "file), or a job failed");
        m.put(Integer.toString(USAGE), "usage error (unknown command or option, bad argument, or a value a server "
                + "refused)");
        m.put(Integer.toString(IO), "I/O, network or server error (cannot reach it, not logged in, not found, a "
                + "conflict, a feature it lacks, busy)");
        m.put(Integer.toString(INTERNAL), "internal error (a bug in vsa; --stacktrace shows what to report)");
        HELP_TABLE = java.util.Collections.unmodifiableMap(m);
    }

    private ExitCodes() {
    }
}
