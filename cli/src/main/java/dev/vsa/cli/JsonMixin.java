package dev.vsa.cli;

import picocli.CommandLine.Option;

/** {@code --json}: print one JSON document on stdout instead of human text (shapes: docs/cli-json.md). */
public final class JsonMixin {
    @Option(names = "--json", description = "Print JSON on stdout instead of text (shapes: docs/cli-json.md). "
            + "Implies no progress bar.")
    boolean json;

    /** Whether {@code --json} was given. */
    public boolean json() {
        return json;
    }
}
