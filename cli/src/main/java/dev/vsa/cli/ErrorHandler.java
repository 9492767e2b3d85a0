package dev.vsa.cli;

import dev.vsa.cli.output.Errors;
import dev.vsa.core.error.MalformedInputException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Maps what a command throws to one line on stderr and an exit code: {@link ExitException} to its code,
 * {@link MalformedInputException} to 1 ({@code error: CODE at WHERE: message}), {@link IOException} to 3,
 * usage errors to 2 with picocli's suggestions, anything else (a bug of ours) to 4. The stack trace is printed only with {@code --stacktrace}.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final boolean shell;

    /** @param shell inside {@code vsa shell}: point at {@code help COMMAND}, not {@code vsa --help} */
    ErrorHandler(boolean shell) {
        this.shell = shell;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
        Throwable t = ex;
        if (t instanceof UncheckedIOException u && u.getCause() != null) {
            t = u.getCause();
        }
        int code;
        String line;
        boolean bug = false;
        if (t instanceof ExitException e) {
            code = e.code();
            line = e.getMessage();
        } else if (t instanceof MalformedInputException m) {
            code = ExitCodes.INVALID;
            line = m.toString();
        } else if (t instanceof IOException io) {
            code = ExitCodes.IO;
            line = Errors.describe(io);
        } else if (t instanceof UnsupportedOperationException u) {
            code = ExitCodes.INVALID;
            line = "not supported: " + u.getMessage();
        } else if (t instanceof IllegalArgumentException iae) {
            code = ExitCodes.USAGE;
            line = iae.getMessage();
        } else {
            // Not the input's fault: its own code, so a script never mistakes a bug of ours for an invalid file.
            code = ExitCodes.INTERNAL;
            line = "internal error: " + t;
            bug = true;
        }
        PrintWriter err = cl.getErr();
        err.println("error: " + line);
        if (stacktraceRequested(parsed)) {
            t.printStackTrace(err);
        } else if (bug) {
            err.println("This is a bug in vsa; run again with --stacktrace and report the output.");
        }
        err.flush();
        return code;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("error: " + withoutPrefix(ex.getMessage()));
        String name = cl.getCommandSpec().qualifiedName();
        if (shell) {
            name = name.equals("vsa") ? "" : name.substring(name.indexOf(' ') + 1);
        }
        if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            // only the closest one (picocli lists them best first): "Did you mean: vsa convert?"
            String best = u.getSuggestions().get(0);
            err.println("Did you mean: " + (best.startsWith("-") || name.isEmpty() ? "" : name + " ") + best + "?");
        }
        err.println(shell ? "Try 'help" + (name.isEmpty() ? "" : " " + name) + "' for more information."
                : "Try '" + name + " --help' for more information.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** Picocli starts some messages (an argument group's) with its own "Error: "; ours already says "error: ". */
    static String withoutPrefix(String message) {
        return message != null && message.startsWith("Error: ") ? message.substring("Error: ".length()) : message;
    }

    /** Whether {@code -x/--stacktrace} was given on the command or any of its parents. */
    static boolean stacktraceRequested(ParseResult parsed) {
        for (ParseResult pr = parsed; pr != null; pr = pr.subcommand()) {
            if (pr.hasMatchedOption(StacktraceMixin.LONG_NAME)) {
                return true;
            }
        }
        return false;
    }
}
