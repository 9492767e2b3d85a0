package dev.vsa.processing;

/** A configuration value is missing, malformed or inconsistent. The message starts with the key. */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * @param key     the setting, e.g. {@code database.url}
     * @param problem what is wrong, e.g. {@code "must be 2..200, was 1"}
     */
    public ConfigException(String key, String problem) {
        super(key + " " + problem);
        this.key = key;
    }

    /** The bad setting's key (its environment variable is {@link ProcessingConfig#envName(String)}). */
    public String key() {
        return key;
    }
}
