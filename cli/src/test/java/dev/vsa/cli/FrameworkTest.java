package dev.vsa.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameworkTest {
    @Test
    void version_printsVsaJavaAndBuild() {
        Cli.Result r = Cli.run("--version");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("vsa "), r::toString);
        assertTrue(r.out().contains("Java " + System.getProperty("java.version")), r::toString);
        assertTrue(r.out().contains("build "), r::toString);
    }

    @Test
    void unknownCommand_exit2WithSuggestion() {
        Cli.Result r = Cli.run("conver", "a.ply", "b.spz");
        assertEquals(ExitCodes.USAGE, r.exit(), r::toString);
        assertTrue(r.err().contains("Did you mean"), r::toString);
        assertTrue(r.err().contains("convert"), r::toString);
    }

    @Test
    void unknownOption_exit2WithSuggestion() {
        Cli.Result r = Cli.run("validate", "--max-isues", "3", "x.ply");
        assertEquals(ExitCodes.USAGE, r.exit(), r::toString);
        assertTrue(r.err().contains("--max-issues"), r::toString);
    }

    @Test
    void noCommand_printsUsageExit2() {
        Cli.Result r = Cli.run();
        assertEquals(ExitCodes.USAGE, r.exit(), r::toString);
        assertTrue(r.err().contains("Usage: vsa"), r::toString);
    }

    @Test
    void missingFile_exit3OneLine(@TempDir Path dir) {
        Path missing = dir.resolve("missing.ply");
        Cli.Result r = Cli.run("convert", missing.toString(), dir.resolve("o.spz").toString());
        assertEquals(ExitCodes.IO, r.exit(), r::toString);
        assertEquals("error: no such file: " + missing + "\n", r.err().replace("\r\n", "\n"));
    }

    @Test
    void stacktrace_onlyWithOption(@TempDir Path dir) {
        Path missing = dir.resolve("missing.ply");
        Cli.Result plain = Cli.run("convert", missing.toString(), dir.resolve("o.spz").toString());
        assertFalse(plain.err().contains("\tat "), plain::toString);
        Cli.Result traced = Cli.run("convert", "--stacktrace", missing.toString(), dir.resolve("o.spz").toString());
        assertEquals(ExitCodes.IO, traced.exit(), traced::toString);
        assertTrue(traced.err().contains("\tat "), traced::toString);
        Cli.Result global = Cli.run("-x", "convert", missing.toString(), dir.resolve("o.spz").toString());
        assertTrue(global.err().contains("\tat "), global::toString);
    }

    /**
     * Every command, including those others add: described (its first line a whole sentence), every option explained,
     * examples, exit codes.
     */
    @Test
    void help_everyCommandDocumented() {
        List<String> problems = new ArrayList<>();
        check(Main.commandLine(), problems);
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
    }

    private static void check(CommandLine cl, List<String> problems) {
        CommandSpec spec = cl.getCommandSpec();
        String name = spec.qualifiedName();
        if (!name.equals("vsa help")) {
            String[] description = spec.usageMessage().description();
            if (description.length == 0) {
                problems.add(name + ": no description");
            } else if (!description[0].strip().endsWith(".")) {
                // the first line alone is the command's summary in its parent's list of commands
                problems.add(name + ": the first description line is not a whole sentence: " + description[0]);
            }
            if (spec.usageMessage().footer().length == 0 || !spec.usageMessage().footerHeading().contains("Examples")) {
                problems.add(name + ": no Examples footer");
            }
            if (spec.optionsMap().get("--help") == null) {
                problems.add(name + ": no --help (mixinStandardHelpOptions = true)");
            }
            for (OptionSpec o : spec.options()) {
                if (o.description().length == 0 || o.description()[0].isBlank()) {
                    problems.add(name + " " + o.longestName() + ": no description");
                }
            }
            for (PositionalParamSpec p : spec.positionalParameters()) {
                if (p.description().length == 0 || p.description()[0].isBlank()) {
                    problems.add(name + " " + p.paramLabel() + ": no description");
                }
            }
            String help = cl.getUsageMessage();
            if (!help.contains("Exit codes:")) {
                problems.add(name + ": no exit codes in --help");
            }
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            check(sub, problems);
        }
    }
}
