package dev.vsa.cli.commands;

import dev.vsa.core.validate.Severity;

/** {@code --fail-on}: the lowest issue severity that makes a file count as invalid (lower-case on purpose: they are typed). */
public enum FailOn {
    /** Only errors make a file invalid (the default). */
    error(Severity.ERROR),
    /** Warnings make a file invalid too. */
    warning(Severity.WARNING);

    private final Severity severity;

    FailOn(Severity severity) {
        this.severity = severity;
    }

    /** The core severity. */
    public Severity severity() {
        return severity;
    }
}
