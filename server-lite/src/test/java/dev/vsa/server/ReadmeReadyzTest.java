package dev.vsa.server;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.vsa.server.TestStack.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's /readyz sample (the compose stack's API, `vsa serve --no-worker`) is what such a server answers. */
class ReadmeReadyzTest {
    @Test
    void readme_readyzSample_isWhatAnApiWithoutWorkersAnswers() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("vsa.repo.root", "..")).resolve("README.md"));
        Matcher m = Pattern.compile("curl -s localhost:8000/readyz +# (\\{.*})").matcher(readme);
        assertTrue(m.find(), "no /readyz sample in README.md");
        try (OwnServer api = new OwnServer(Map.of(), store -> store, 0)) {
            String body = api.get("/readyz", null).body();
            // the same fields, values and order
            assertEquals(JSON.readTree(m.group(1)).toString(), JSON.readTree(body).toString());
        }
    }
}
