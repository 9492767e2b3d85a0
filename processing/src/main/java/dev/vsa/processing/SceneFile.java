package dev.vsa.processing;

import java.time.Instant;
import java.util.Locale;

/**
 * One stored file of a scene.
 *
 * @param name        unique within the scene: {@code original/<name as uploaded, cleaned>} for originals,
 *                    {@code scene.spz}, {@code scene.glb}, {@code validation.json}, {@code preview.png},
 *                    {@code thumbnail.png}, ... for results
 * @param kind        original, output or report
 * @param size        bytes
 * @param contentType MIME type
 */
public record SceneFile(String name, Kind kind, long size, String contentType, Instant createdAt) {
    /** What a file is to its scene. */
    public enum Kind {
        ORIGINAL, OUTPUT, REPORT;

        /** The lower-case name used in the database and JSON. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind of(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }
}
