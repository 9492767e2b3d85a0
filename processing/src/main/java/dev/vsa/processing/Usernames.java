package dev.vsa.processing;

import java.text.Normalizer;

/**
 * The one normalization of a username, used everywhere a name is compared: signup (uniqueness), login (lookup) and
 * the login throttle's key. Two names with the same {@link #key} are the same account.
 *
 * <p>The key is NFKC, then each code point case-folded by Java's own simple mappings (upper-cased, then
 * lower-cased: {@code ſ}, {@code K} (Kelvin), {@code ı} and {@code İ} all meet their ASCII letter), then NFKC again.
 * It is computed in Java, not by the database's {@code lower()}, whose result depends on the server's locale and
 * version: the key is stored in its own column ({@code users.username_key}, unique) so the database only compares
 * it. Example: {@code key("İris") == key("IRIS") == "iris"}.
 */
public final class Usernames {
    private Usernames() {
    }

    /**
     * The comparison key of {@code username} (surrounding white space ignored).
     *
     * @throws NullPointerException if {@code username} is null
     */
    public static String key(String username) {
        String s = Normalizer.normalize(username.strip(), Normalizer.Form.NFKC);
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> b.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp))));
        return Normalizer.normalize(b, Normalizer.Form.NFKC);
    }
}
