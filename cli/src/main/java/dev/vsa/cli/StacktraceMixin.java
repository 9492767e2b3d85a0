package dev.vsa.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code -x/--stacktrace}: declared once on {@link VsaCommand}, inherited by every subcommand. */
public final class StacktraceMixin {
    /** The option's long name, looked up by the error handler. */
    public static final String LONG_NAME = "--stacktrace";

    @Option(names = {"-x", LONG_NAME}, scope = ScopeType.INHERIT,
            description = "On an error, print the full stack trace, not only the one-line message.")
    boolean stacktrace;
}
