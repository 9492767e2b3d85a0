package dev.vsa.core.testing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Finds committed test fixtures (under {@code src/test/resources}) as files. */
public final class TestFixtures {
    private TestFixtures() {
    }

    /** The fixture at {@code name}, e.g. {@code "gltf/Box.glb"}. */
    public static Path path(String name) {
        URL url = TestFixtures.class.getResource("/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test fixture " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
