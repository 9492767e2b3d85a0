package dev.vsa.core.fuzz;

import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.gltf.GltfInspector;
import dev.vsa.core.splat.SplatBatch;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.SplatReader;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.testing.SyntheticSplats;
import dev.vsa.core.validate.Validator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The fuzz target of every parser: the bytes become a file of the parser's kind and are read whole (splat readers),
 * and for glTF also validated and inspected. Bad input may only end in a {@link MalformedInputException} (the
 * validator never throws for content); anything else escaping (another exception, an {@code Error}) is a finding.
 *
 * <p>Run by Jazzer's standalone driver from {@code bench/fuzz.sh} ({@code -Dvsa.fuzz.target=ply}, libFuzzer's
 * {@code fuzzerTestOneInput} entry point; no Jazzer type is needed here), and by {@link FuzzRegressionTest} over
 * every input that ever failed.
 */
public final class ParserFuzz {
    /** Target name to the file name the bytes are written as (some formats are told apart by extension). */
    static final Map<String, String> TARGETS = Map.of(
            "ply-ascii", "in.ply",
            "ply-binary", "in.ply",
            "compressed-ply", "in.compressed.ply",
            "splat", "in.splat",
            "spz", "in.spz",
            "ksplat", "in.ksplat",
            "gltf-json", "in.gltf",
            "glb", "in.glb");

    private static Path dir;

    private ParserFuzz() {
    }

    /**
     * Called once by the fuzzer before the first input: loads (and has Jazzer instrument) every reader's classes by
     * reading one small file of each format with each target, so the first inputs are not charged seconds of class
     * loading against the 2 s limit.
     */
    public static void fuzzerInitialize() throws IOException {
        Path seeds = Files.createTempDirectory("vsa-fuzz-seeds-");
        for (SplatFormat format : SplatFormat.values()) {
            if (!format.writable()) {
                continue;
            }
            Path f = seeds.resolve("seed" + format.extension());
            try {
                SyntheticSplats.write(f, format, SyntheticSplats.layout(1), 3, 1);
            } catch (IOException | RuntimeException e) {
                continue; // a writer that needs what this JVM lacks (e.g. an optional codec): nothing to warm up
            }
            byte[] bytes = Files.readAllBytes(f);
            for (String target : TARGETS.keySet()) {
                run(target, bytes);
            }
        }
        for (String target : TARGETS.keySet()) {
            run(target, new byte[0]);
            run(target, "{\"asset\":{\"version\":\"2.0\"}}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    /** libFuzzer's entry point, for the target named by the system property {@code vsa.fuzz.target}. */
    public static void fuzzerTestOneInput(byte[] data) throws IOException {
        run(System.getProperty("vsa.fuzz.target", "ply-binary"), data);
    }

    /**
     * Feeds {@code data} to the parser of {@code target}.
     *
     * @throws IOException only if the temporary file cannot be written
     */
    public static void run(String target, byte[] data) throws IOException {
        String name = TARGETS.get(target.toLowerCase(Locale.ROOT));
        if (name == null) {
            throw new IllegalArgumentException("unknown fuzz target " + target + "; one of " + TARGETS.keySet());
        }
        if (dir == null) {
            dir = Files.createTempDirectory("vsa-fuzz-");
            dir.toFile().deleteOnExit();
        }
        Path f = dir.resolve(name);
        Files.write(f, data);
        try {
            readAll(f);
        } catch (MalformedInputException expected) {
            // a clear refusal is the right answer to bad bytes
        }
        if (name.endsWith(".gltf") || name.endsWith(".glb")) {
            Validator.validate(f);
            try {
                GltfInspector.inspect(f);
            } catch (MalformedInputException expected) {
                // as above
            }
        }
    }

    private static void readAll(Path f) throws IOException {
        try (SplatReader r = Splats.open(f)) {
            SplatBatch b = new SplatBatch(r.info().layout(), 256);
            while (r.read(b) > 0) {
                // drain
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
