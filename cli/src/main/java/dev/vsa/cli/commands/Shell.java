package dev.vsa.cli.commands;

import dev.vsa.cli.BaseCommand;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.Main;
import dev.vsa.cli.VsaHome;
import org.jline.builtins.Completers.FileNameCompleter;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import dev.vsa.processing.internal.PrivateHome;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.shell.jline3.PicocliJLineCompleter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code vsa shell}: the same commands in an interactive session, with completion and history. */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = {
            "Start an interactive shell: type vsa commands without the 'vsa' prefix. Tab completes commands, "
                    + "options, format names and file paths; the history is kept in the vsa home "
                    + "(~/.vsa/history, or $VSA_HOME/history). An error ends the command, not the shell.",
            "Type 'help' for the commands, 'help COMMAND' for one, 'exit' or Ctrl-D to leave."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  vsa shell",
            "  vsa> inspect vsa-demo/demo.ply",
            "  vsa> exit"})
public final class Shell extends BaseCommand {
    /** The prompt. */
    public static final String PROMPT = "vsa> ";

    @Override
    protected int run() throws IOException {
        // dumb(true): with input from a pipe there is no terminal; the session then runs on a dumb one, without
        // jline's logged warning about it
        try (Terminal terminal = TerminalBuilder.builder().name("vsa").system(true).dumb(true).build()) {
            return session(terminal, VsaHome.resolve().resolve("history"));
        }
    }

    /**
     * Runs the read-eval loop on {@code terminal} until {@code exit}, {@code quit} or end of input.
     *
     * @param history the history file (its folder is created)
     * @return {@link ExitCodes#OK}
     */
    public static int session(Terminal terminal, Path history) throws IOException {
        CommandLine cl = Main.shellCommandLine();
        cl.setOut(terminal.writer());
        cl.setErr(terminal.writer());
        PrivateHome.secure(history.toAbsolutePath().getParent()); // the history is the user's own
        DefaultParser parser = new DefaultParser();
        LineReader reader = LineReaderBuilder.builder()
                .appName("vsa")
                .terminal(terminal)
                .parser(parser)
                .completer(new ShellCompleter(cl.getCommandSpec()))
                .variable(LineReader.HISTORY_FILE, history)
                // A password typed as a flag stays out of the history file (the prompt is the better way).
                // A password typed as a flag stays out of the history file (the prompt is the better way).
                .variable(LineReader.HISTORY_IGNORE, "*--password *|*--password=*")
                .variable(LineReader.LIST_MAX, 100)
                .build();
        terminal.writer().println("vsa shell: 'help' lists the commands, 'exit' leaves.");
        while (true) {
            String line;
            try {
                line = reader.readLine(PROMPT);
            } catch (UserInterruptException e) {
                continue; // Ctrl-C clears the line
            } catch (EndOfFileException e) {
                break;
            }
            List<String> words = new ArrayList<>();
            for (String w : reader.getParsedLine().words()) {
                if (!w.isEmpty()) {
                    words.add(w);
                }
            }
            if (words.isEmpty()) {
                continue;
            }
            if (words.get(0).equals("vsa")) {
                words.remove(0); // tolerate the habit of typing the prefix
                if (words.isEmpty()) {
                    continue;
                }
            }
            String first = words.get(0);
            if (first.equals("exit") || first.equals("quit")) {
                break;
            }
            if (first.equals("shell")) {
                terminal.writer().println("already in the vsa shell");
                continue;
            }
            cl.execute(words.toArray(String[]::new));
            terminal.writer().flush();
        }
        reader.getHistory().save();
        terminal.writer().flush();
        return ExitCodes.OK;
    }

    /** picocli's completion of commands, options and values; file names where it has nothing to offer. */
    private static final class ShellCompleter implements Completer {
        private final Completer model;
        private final Completer files = new FileNameCompleter();

        ShellCompleter(CommandLine.Model.CommandSpec spec) {
            this.model = new PicocliJLineCompleter(spec);
        }

        @Override
        public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
            List<Candidate> fromModel = new ArrayList<>();
            model.complete(reader, line, fromModel);
            String prefix = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
            boolean matches = fromModel.stream().anyMatch(c -> c.value().startsWith(prefix));
            candidates.addAll(fromModel);
            if (!matches && !prefix.startsWith("-") && line.wordIndex() > 0) {
                files.complete(reader, line, candidates);
            }
        }
    }
}
