package dev.vsa.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vsa} builds only the subcommand a command line runs ({@link Main#commandLine(String...)}): each one must
 * come out exactly as in the whole tree, and every command line that looks at the whole tree must get it.
 */
class LazyCommandTreeTest {
    private static List<String> names(String... args) {
        return new ArrayList<>(Main.commandLine(args).getSubcommands().keySet());
    }

    private static List<String> all() {
        return VsaCommand.SUBCOMMANDS.stream().map(VsaCommand.Subcommand::name).toList();
    }

    @Test
    void listedNames_areTheCommandsOwnNames() {
        for (VsaCommand.Subcommand sub : VsaCommand.SUBCOMMANDS) {
            Command c = sub.type().getAnnotation(Command.class);
            assertEquals(c.name(), sub.name(), sub.type().getName());
            assertEquals(0, c.aliases().length, sub.name() + ": an alias would need an entry too");
        }
        assertEquals(all(), new ArrayList<>(Main.commandLine().getSubcommands().keySet()));
    }

    @Test
    void commandLine_buildsOnlyTheCommandItRuns() {
        for (String name : all()) {
            if (!name.equals("help")) {
                assertEquals(List.of(name), names(name, "--help"));
                assertEquals(List.of(name), names("-x", name));
                assertEquals(List.of(name), names("--stacktrace", name, "conver"));
            }
        }
        assertEquals(List.of(), names("--version"));
        assertEquals(List.of(), names("-x", "-V"));
    }

    @Test
    void commandLine_wholeTreeWhereItIsLookedAt() {
        assertEquals(all(), names());
        assertEquals(all(), names("--help"));
        assertEquals(all(), names("--version", "--help"));
        assertEquals(all(), names("help", "convert"));
        assertEquals(all(), names("conver", "a.ply", "b.spz"));
        assertEquals(all(), names("@args.txt"));
        assertEquals(all(), names("-xV"));
        assertEquals(all(), names("--", "convert"));
    }

    /** Every command (groups' leaves too) built alone has the same options, help and settings as in the whole tree. */
    @Test
    void eachCommandBuiltAlone_equalsItsPlaceInTheWholeTree() {
        Map<String, String> whole = describe(Main.commandLine(), new LinkedHashMap<>());
        Map<String, String> alone = new LinkedHashMap<>();
        describe(Main.commandLine("--version"), alone); // the top level without subcommands
        for (String name : all()) {
            if (!name.equals("help")) {
                describe(Main.commandLine(name).getSubcommands().get(name), alone);
            }
        }
        describe(Main.commandLine().getSubcommands().get("help"), alone);
        assertEquals(whole.keySet(), alone.keySet());
        for (Map.Entry<String, String> e : whole.entrySet()) {
            if (!e.getKey().equals("vsa")) { // its usage lists the commands
                assertEquals(e.getValue(), alone.get(e.getKey()), e.getKey());
            }
        }
        assertTrue(whole.get("vsa convert").contains("--stacktrace"), "the inherited option reaches subcommands");
    }

    private static Map<String, String> describe(CommandLine cl, Map<String, String> into) {
        CommandSpec spec = cl.getCommandSpec();
        StringBuilder d = new StringBuilder(cl.getUsageMessage());
        spec.options().forEach(o -> d.append('\n').append(o.longestName()).append(' ').append(o.scopeType())
                .append(' ').append(o.inherited()).append(' ').append(o.arity()));
        d.append("\nhandlers ").append(cl.getExecutionExceptionHandler().getClass().getName())
                .append(' ').append(cl.getParameterExceptionHandler().getClass().getName())
                .append(" width ").append(cl.getUsageHelpWidth())
                .append(" enums ").append(cl.isCaseInsensitiveEnumValuesAllowed())
                .append(" parent ").append(spec.parent() == null ? "-" : spec.parent().qualifiedName());
        into.put(spec.qualifiedName(), d.toString());
        for (CommandLine sub : cl.getSubcommands().values()) {
            describe(sub, into);
        }
        return into;
    }
}
