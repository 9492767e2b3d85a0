package dev.vsa.processing.storage;

import java.io.IOException;

/** No object is stored under the key. */
public final class ObjectNotFoundException extends IOException {
    private static final long serialVersionUID = 1L;

    public ObjectNotFoundException(String key) {
        super("no object under key " + key);
    }
}
