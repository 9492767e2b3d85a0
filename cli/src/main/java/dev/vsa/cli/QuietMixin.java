package dev.vsa.cli;

import picocli.CommandLine.Option;

/** {@code -q/--quiet}: no progress bars, no chatter; results and errors only. */
public final class QuietMixin {
    @Option(names = {"-q", "--quiet"}, description = "Print no progress bar and no informational lines; "
            + "results and errors only.")
    boolean quiet;

    /** Whether {@code --quiet} was given. */
    public boolean quiet() {
        return quiet;
    }
}
