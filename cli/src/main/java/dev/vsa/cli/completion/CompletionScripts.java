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

    /** The bash script: source it, or put it in {@code /etc/bash_completion.d/vsa}. */
    public static String bash() {
        return AutoComplete.bash("vsa", Main.commandLine());
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
