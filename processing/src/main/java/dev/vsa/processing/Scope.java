package dev.vsa.processing;

import java.util.Arrays;
import java.util.Optional;

/** What an API token may do. A password session may do everything, including managing tokens. */
public enum Scope {
    /** List and read scenes, their files and jobs. */
    SCENES_READ("scenes:read"),
    /** Upload, convert and delete scenes. */
    SCENES_WRITE("scenes:write"),
    /** Manage webhooks and read their delivery logs. */
    WEBHOOKS("webhooks");

    private final String id;

    Scope(String id) {
        this.id = id;
    }

    /** The scope's name in the API, e.g. {@code scenes:read}. */
    public String id() {
        return id;
    }

    /** The scope named {@code id}, if any. */
    public static Optional<Scope> of(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }
}
