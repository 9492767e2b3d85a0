package dev.vsa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * Base of every {@code vsa} command: gives {@link #out()} and {@link #err()} (the only streams a command may
 * write to, so tests and the shell capture them) and flushes them after {@link #run()}.
 * Failures are thrown: {@link ExitException}, {@link dev.vsa.core.error.MalformedInputException},
 * {@link java.io.IOException}; the error handler turns them into one line and an exit code.
 */
@Command
public abstract class BaseCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        try {
            return run();
        } catch (OutOfMemoryError e) {
            // a java.lang.Error never reaches the user as a stack trace: one line, the trace only with -x
            throw new ExitException(ExitCodes.IO, "out of memory: the Java heap of "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB is too small for this; give vsa more with"
                    + " VSA_JAVA_OPTS=-Xmx4g (or java -Xmx4g)", e);
        } catch (StackOverflowError e) {
            throw new ExitException(ExitCodes.INVALID, "internal error: the input is nested too deeply for vsa's"
                    + " stack (a bug in vsa; run again with --stacktrace and report the output)", e);
        } finally {
            out().flush();
            err().flush();
        }
    }

    /** Does the command's work; returns an exit code from {@link ExitCodes}. */
    protected abstract int run() throws Exception;

    /** Standard output of this invocation. */
    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Standard error of this invocation. */
    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
