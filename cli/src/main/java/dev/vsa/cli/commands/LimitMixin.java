package dev.vsa.cli.commands;

import picocli.CommandLine.Option;

/** {@code --limit N} of the lists the server caps at 200 ({@code jobs list}, {@code webhooks deliveries}). */
public final class LimitMixin {
    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N (1..200). Default: ${DEFAULT-VALUE}.")
    int limit;

    /**
     * The limit given.
     *
     * @throws IllegalArgumentException if it is not 1..200
     */
    int value() {
        if (limit < 1 || limit > 200) {
            throw new IllegalArgumentException("--limit must be 1..200, was " + limit);
        }
        return limit;
    }
}
