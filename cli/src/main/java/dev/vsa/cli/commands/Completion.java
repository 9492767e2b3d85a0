package dev.vsa.cli.commands;

import dev.vsa.cli.BaseCommand;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.completion.CompletionScripts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vsa completion bash|zsh}: prints a shell completion script. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {
            "Print the completion script for bash or zsh: it completes commands, options, format names and the"
                    + " paths of files vsa reads.",
            "The same scripts are built into completions/target/ (vsa.bash, vsa.zsh)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  source <(vsa completion bash)                       this bash session",
            "  vsa completion bash > ~/.local/share/bash-completion/completions/vsa",
            "  vsa completion zsh > \"${fpath[1]}/_vsa\"                zsh (then restart it)"})
public final class Completion extends BaseCommand {
    /** Shells with a script. */
    public enum ShellName { bash, zsh }

    @Parameters(paramLabel = "SHELL", description = "The shell: ${COMPLETION-CANDIDATES}.")
    ShellName shell;

    @Override
    protected int run() {
        out().print(shell == ShellName.bash ? CompletionScripts.bash() : CompletionScripts.zsh());
        return ExitCodes.OK;
    }
}
