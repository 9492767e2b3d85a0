package dev.vsa.cli.completion;

import dev.vsa.cli.Main;
import picocli.AutoComplete;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Shell completion scripts generated from the picocli model of {@code vsa}: the same text at build time (the
 * {@code completions} module runs {@link #main}) and at run time ({@code vsa completion bash}).
 */
public final class CompletionScripts {
    private CompletionScripts() {
    }

    /** Marks picocli's completion of a positional file argument. */
    private static final String FILES = "positionals=$( compgen -f -- \"${curr_word}\" ) # files";
    private static final String SCENE_FILES = "positionals=$( _vsa_scene_files \"${curr_word}\" ) # scene files";

    /**
     * The bash script: source it, or put it in {@code /etc/bash_completion.d/vsa}. picocli's script, with the
     * input-file arguments of inspect, validate, convert (IN) and batch narrowed to folders and files vsa reads.
     */
    public static String bash() {
        String script = AutoComplete.bash("vsa", Main.commandLine());
        StringBuilder out = new StringBuilder();
        for (String block : script.split("(?=\n# Generates completions for the options and subcommands of the `)")) {
            if (block.contains("function _picocli_vsa_inspect()") || block.contains("function _picocli_vsa_validate()")) {
                block = block.replace(FILES, SCENE_FILES);
            } else if (block.contains("function _picocli_vsa_convert()")) {
                block = block.replaceFirst(java.util.regex.Pattern.quote(FILES),
                        java.util.regex.Matcher.quoteReplacement(SCENE_FILES));
            } else if (block.contains("function _picocli_vsa_batch()")) {
                block = block.replace("local positionals=\"\"",
                        "type compopt &>/dev/null && compopt -o filenames\n    local positionals=$( _vsa_scene_files \"${curr_word}\" )");
            }
            out.append(block);
        }
        String result = out.toString();
        int at = result.indexOf("\n# Generates completions for the options and subcommands of the `");
        if (at < 0) {
            throw new IllegalStateException("picocli's bash script changed shape; update CompletionScripts");
        }
        return result.substring(0, at) + "\n" + sceneFilesFunction() + result.substring(at);
    }

    private static String sceneFilesFunction() {
        StringBuilder cases = new StringBuilder();
        for (String ext : dev.vsa.cli.commands.Formats.readableExtensions()) {
            if (cases.length() > 0) {
                cases.append('|');
            }
            cases.append("*.").append(ext).append("|*.").append(ext.toUpperCase(java.util.Locale.ROOT));
        }
        return "# Folders, and files whose names end like a format vsa reads (" + cases + ").\n"
                + "function _vsa_scene_files() {\n"
                + "  local f\n"
                + "  type compopt &>/dev/null && compopt -o filenames\n"
                + "  compgen -d -- \"$1\"\n"
                + "  compgen -f -- \"$1\" | while IFS= read -r f; do\n"
                + "    [[ -f \"$f\" ]] || continue\n"
                + "    case \"$f\" in " + cases + ") printf '%s\\n' \"$f\" ;; esac\n"
                + "  done\n"
                + "}\n";
    }

    /** The zsh script: bash's, loaded through zsh's {@code bashcompinit}. */
    public static String zsh() {
        return "#compdef vsa\n"
                + "# vsa completion for zsh: uses zsh's bash-completion emulation.\n"
                + "autoload -U +X compinit && compinit\n"
                + "autoload -U +X bashcompinit && bashcompinit\n"
                + bash();
    }

    /**
     * Writes {@code vsa.bash} and {@code vsa.zsh} into the folder given as the only argument (build time).
     *
     * @throws IOException if the folder cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: CompletionScripts OUTPUT_DIR");
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        Files.writeString(dir.resolve("vsa.bash"), bash(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("vsa.zsh"), zsh(), StandardCharsets.UTF_8);
    }
}
