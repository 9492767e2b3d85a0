package dev.vsa.cli;

import picocli.CommandLine;

/** The {@code vsa} command: {@code main} only runs {@link #commandLine()} and exits with its code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The whole {@code vsa} command tree with vsa's error handling installed: one-line errors mapped to
     * {@link ExitCodes}, stack traces only with {@code --stacktrace}, "did you mean" on typos and the exit-code
     * table in every {@code --help}. Tests, the shell and the completion generator all start here.
     */
    public static CommandLine commandLine() {
        return configure(new CommandLine(new VsaCommand()));
    }

    /** Installs vsa's settings on a tree (and all its subcommands) built elsewhere. */
    public static CommandLine configure(CommandLine cl) {
        return configure(cl, false);
    }

    /** The tree for {@code vsa shell}: the same, but usage errors point at {@code help COMMAND}, not {@code vsa --help}. */
    public static CommandLine shellCommandLine() {
        return configure(new CommandLine(new VsaCommand()), true);
    }

    private static CommandLine configure(CommandLine cl, boolean shell) {
        ErrorHandler handler = new ErrorHandler(shell);
        cl.setExecutionExceptionHandler(handler);
        cl.setParameterExceptionHandler(handler);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
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
