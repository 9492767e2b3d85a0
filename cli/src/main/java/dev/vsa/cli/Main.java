package dev.vsa.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.List;

/** The {@code vsa} command: {@code main} only runs {@link #commandLine(String...)} and exits with its code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // vsa has no Groovy closures: without this, picocli looks for groovy.lang.Closure, a class-path miss that
        // opens (indexes) the 24,000-entry jar, which the AOT cache otherwise spares most commands
        System.setProperty("picocli.disable.closures", "true");
        int code = commandLine(args).execute(args);
        if (code != 0 || otherThreadsAlive()) {
            System.exit(code);
        }
        // Returning ends the JVM with status 0 and runs the same shutdown hooks, but skips Runtime.exit's logging,
        // whose System.getLogger looks for logger services on the class path: the jar opened and indexed just to
        // exit (~25 ms of a small conversion, measured with -Xlog:class+init)
    }

    /** Whether a thread other than the caller would keep the JVM running after {@code main} returns. */
    static boolean otherThreadsAlive() {
        // the root group's live platform threads, without getAllStackTraces' stack walk of each (virtual threads,
        // which it would not list either, are daemons)
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads;
        int n;
        do { // a full array may have left threads out: ask again with room to spare
            threads = new Thread[root.activeCount() * 2 + 8];
            n = root.enumerate(threads, true);
        } while (n == threads.length);
        for (int i = 0; i < n; i++) {
            Thread t = threads[i];
            if (t != Thread.currentThread() && t.isAlive() && !t.isDaemon()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The tree {@code args} needs, with vsa's error handling installed: only the subcommand they run (building
     * the model of all ~45 commands took ~0.3 s of every start), none for {@code vsa --version}, and the whole
     * tree whenever anything else may look at it: {@code vsa}, {@code --help}, {@code help COMMAND}, a word that
     * is no command (picocli suggests the closest one), an {@code @file} of arguments.
     */
    public static CommandLine commandLine(String... args) {
        // The top level's model from generated code (GeneratedSpecs), not from its annotations: see SpecGenerator.
        CommandLine cl = new CommandLine(GeneratedSpecs.vsaCommand(new VsaCommand()));
        List<VsaCommand.Subcommand> needed = needed(cl.getCommandSpec(), args);
        if (needed == VsaCommand.SUBCOMMANDS) {
            return configure(all(), false);
        }
        for (VsaCommand.Subcommand sub : needed) {
            cl.addSubcommand(sub.name(), sub.generated() != null ? sub.generated().get() : sub.type());
        }
        return configure(cl, false);
    }

    /** The subcommands {@code vsa args...} needs; {@code top} is the {@code vsa} command without any. */
    static List<VsaCommand.Subcommand> needed(CommandSpec top, String... args) {
        boolean version = false;
        for (String arg : args) {
            OptionSpec option = top.optionsMap().get(arg);
            if (option != null && option.arity().max() == 0 && !option.usageHelp()) {
                version |= option.versionHelp();
                continue;
            }
            for (VsaCommand.Subcommand sub : VsaCommand.SUBCOMMANDS) {
                if (sub.name().equals(arg) && !sub.name().equals("help")) {
                    return List.of(sub);
                }
            }
            return VsaCommand.SUBCOMMANDS;
        }
        return version ? List.of() : VsaCommand.SUBCOMMANDS;
    }

    /**
     * The whole {@code vsa} command tree (every subcommand built) with vsa's error handling installed: one-line errors mapped to
     * {@link ExitCodes}, stack traces only with {@code --stacktrace}, "did you mean" on typos and the exit-code
     * table in every {@code --help}. Tests, the shell and the completion generator all start here.
     */
    public static CommandLine commandLine() {
        return configure(all(), false);
    }

    private static CommandLine all() {
        CommandLine cl = new CommandLine(new VsaCommand());
        for (VsaCommand.Subcommand sub : VsaCommand.SUBCOMMANDS) {
            cl.addSubcommand(sub.name(), sub.type());
        }
        return cl;
    }

    /** Installs vsa's settings on a tree (and all its subcommands) built elsewhere. */
    public static CommandLine configure(CommandLine cl) {
        return configure(cl, false);
    }

    /** The tree for {@code vsa shell}: the same, but usage errors point at {@code help COMMAND}, not {@code vsa --help}. */
    public static CommandLine shellCommandLine() {
        return configure(all(), true);
    }

    private static CommandLine configure(CommandLine cl, boolean shell) {
        ErrorHandler handler = new ErrorHandler(shell);
        cl.setExecutionExceptionHandler(handler);
        cl.setParameterExceptionHandler(handler);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // picocli's own Path converter calls Paths.get by reflection (it predates java.nio.file), whose first
        // Method.invoke spins method handles on every start
        cl.registerConverter(Path.class, Path::of);
        // Wide enough that picocli never breaks inside a URL, a path or an option and its value (it breaks lines
        // after ':' and '/', so 80 columns split "http://localhost:8000" into "http:" and "//localhost:8000").
        cl.setUsageHelpWidth(HELP_WIDTH);
        addExitCodeTable(cl);
        return cl;
    }

    /** Columns of {@code --help}. */
    public static final int HELP_WIDTH = 120;

    private static void addExitCodeTable(CommandLine cl) {
        CommandLine.Model.UsageMessageSpec usage = cl.getCommandSpec().usageMessage();
        usage.exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.HELP_TABLE);
        // the table comes last, after the examples (as the README says)
        java.util.List<String> keys = new java.util.ArrayList<>(cl.getHelpSectionKeys());
        keys.remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST_HEADING);
        keys.remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST);
        keys.add(CommandLine.Model.UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST_HEADING);
        keys.add(CommandLine.Model.UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST);
        cl.setHelpSectionKeys(keys);
        String[] footer = usage.footer();
        if (footer.length > 0 && !footer[footer.length - 1].isEmpty()) {
            // end the help with a newline, like every other section
            String[] withBlank = java.util.Arrays.copyOf(footer, footer.length + 1);
            withBlank[footer.length] = "";
            usage.footer(withBlank);
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            addExitCodeTable(sub);
        }
    }
}
