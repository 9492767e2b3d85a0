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
        ErrorHandler handler = new ErrorHandler();
        cl.setExecutionExceptionHandler(handler);
        cl.setParameterExceptionHandler(handler);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        addExitCodeTable(cl);
        return cl;
    }

    private static void addExitCodeTable(CommandLine cl) {
        CommandLine.Model.UsageMessageSpec usage = cl.getCommandSpec().usageMessage();
        usage.exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.HELP_TABLE);
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
