package dev.vsa.processing;

/**
 * Which of an owner's scenes a listing shows; null components filter nothing.
 *
 * @param format a detected format id ({@code ply}, {@code spz}, {@code glb}, ...)
 * @param tag    one tag the scene must carry
 * @param search a piece of the scene's display name, any case
 */
public record SceneFilter(SceneStatus status, String format, String tag, String search) {
    /** Every scene. */
    public static final SceneFilter NONE = new SceneFilter(null, null, null, null);

    public SceneFilter {
        if (search != null && (search.isBlank() || search.length() > 200)) {
            throw new IllegalArgumentException("a name search must be 1..200 characters");
        }
        tag = tag == null ? null : SceneDetails.normalizeTag(tag);
    }
}
