package dev.vsa.processing;

import java.util.Locale;

/** Where a scene is in its life: uploaded -> processing -> ready | invalid | failed. */
public enum SceneStatus {
    /** Stored, waiting for a worker. */
    UPLOADED,
    /** A worker is on it. */
    PROCESSING,
    /** Valid; metadata and outputs are there. */
    READY,
    /** The file is not valid; the validation summary and error say why. The original is kept. */
    INVALID,
    /** Processing gave up (storage or database failures past the retry limit, or cancelled). */
    FAILED;

    /** The lower-case name used in the database and JSON. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SceneStatus of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
