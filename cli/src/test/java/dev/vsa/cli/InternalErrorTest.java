package dev.vsa.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bug of ours is not "invalid input": it exits with its own code, one line and a hint, no stack trace. */
class InternalErrorTest {
    /** A command whose own invariant breaks, run through vsa's real command line and error handler. */
    @Command(name = "broken", description = "fails on an internal invariant")
    static final class Broken implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("invariant broken: splat count went negative");
        }
    }

    private static String[] run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.addSubcommand("broken", new Broken());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return new String[] {Integer.toString(cl.execute(args)), err.toString()};
    }

    @Test
    void internalBug_exit4NotTheInvalidInputCode() {
        String[] r = run("broken");
        assertEquals(ExitCodes.INTERNAL, Integer.parseInt(r[0]), r[1]);
        assertTrue(ExitCodes.INTERNAL != ExitCodes.INVALID && ExitCodes.INTERNAL != ExitCodes.IO);
        assertTrue(r[1].startsWith("error: internal error: java.lang.IllegalStateException: invariant broken"), r[1]);
        assertTrue(r[1].contains("This is a bug in vsa"), r[1]);
        assertFalse(r[1].contains("\tat "), "no stack trace without --stacktrace: " + r[1]);
    }

    @Test
    void internalBug_documentedInTheExitCodeTable() {
        assertEquals("internal error (a bug in vsa; --stacktrace shows what to report)",
                ExitCodes.HELP_TABLE.get(Integer.toString(ExitCodes.INTERNAL)));
        Cli.Result help = Cli.run("validate", "--help");
        assertTrue(help.out().contains("4   internal error") || help.out().matches("(?s).*\\b4\\s+internal error.*"), help.out());
    }
}
