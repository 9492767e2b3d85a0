package dev.vsa.processing;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A change to what the owner says about a scene ({@code PATCH /scenes/{id}}); a null component is left as it is.
 *
 * @param name        the display name; "" clears it (the original file name shows again)
 * @param description "" for none
 * @param tags        replaces the tags; each 1..{@value #MAX_TAG} letters, digits, {@code - _ . :}, stored lower case
 */
public record SceneDetails(String name, String description, List<String> tags) {
    public static final int MAX_NAME = 200;
    public static final int MAX_DESCRIPTION = 2000;
    public static final int MAX_TAGS = 20;
    public static final int MAX_TAG = 50;
    private static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9_.:-]{0," + (MAX_TAG - 1) + "}");

    /**
     * Checks each given component.
     *
     * @throws InvalidRequestException naming the field ({@code name}, {@code description}, {@code tags})
     */
    public SceneDetails {
        if (name != null) {
            name = name.strip();
            if (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidRequestException("name", "name must be at most " + MAX_NAME + " characters, no control characters");
            }
        }
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw new InvalidRequestException("description", "description must be at most " + MAX_DESCRIPTION + " characters");
        }
        if (tags != null) {
            TreeSet<String> set = new TreeSet<>();
            for (String t : tags) {
                set.add(normalizeTag(t));
            }
            if (set.size() > MAX_TAGS) {
                throw new InvalidRequestException("tags", "at most " + MAX_TAGS + " tags");
            }
            tags = List.copyOf(set);
        }
    }

    /**
     * A tag in its stored form (lower case).
     *
     * @throws InvalidRequestException if it is not 1..50 letters, digits, {@code - _ . :} starting with a letter or digit
     */
    static String normalizeTag(String tag) {
        String t = tag == null ? "" : tag.strip().toLowerCase(Locale.ROOT);
        if (!TAG.matcher(t).matches()) {
            throw new InvalidRequestException("tags", "a tag is 1.." + MAX_TAG
                    + " letters, digits, '-', '_', '.' or ':' starting with a letter or digit; '" + tag + "' is not");
        }
        return t;
    }
}
