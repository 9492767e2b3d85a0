package dev.vsa.core.fuzz;

import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.gltf.GltfInspector;
import dev.vsa.core.lod.LodSets;
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
    static final Map<String, String> TARGETS = Map.ofEntries(
            Map.entry("ply-ascii", "in.ply"),
            Map.entry("ply-binary", "in.ply"),
            Map.entry("compressed-ply", "in.compressed.ply"),
            Map.entry("splat", "in.splat"),
            Map.entry("spz", "in.spz"),
            Map.entry("ksplat", "in.ksplat"),
            Map.entry("gltf-json", "in.gltf"),
            Map.entry("glb", "in.glb"),
            // a bundled SOG (zip of meta.json and WebP images)
            Map.entry("sog", "in.sog"),
            // an unbundled SOG's meta.json beside the images of a real one (splat-transform's st-2k-sh1)
            Map.entry("sog-meta", "meta.json"),
            // one image of that SOG replaced: the first byte picks which (of IMAGES), the rest is the image
            Map.entry("sog-image", "meta.json"),
            // a LOD set's lod-meta.json beside the units of a real one (splat-transform's st-2lv-sh1)
            Map.entry("lod-meta", "lod-meta.json"));

    /** The images of the SOG fixture beside which {@code sog-meta} and {@code sog-image} inputs are read. */
    static final java.util.List<String> IMAGES = java.util.List.of("means_l.webp", "means_u.webp", "quats.webp",
            "scales.webp", "sh0.webp", "shN_labels.webp", "shN_centroids.webp");
    /** The fixtures (test resources) copied beside the inputs of a target, by target. */
    private static final Map<String, String> BESIDE = Map.of(
            "sog-meta", "/splats/sog/st-2k-sh1",
            "sog-image", "/splats/sog/st-2k-sh1",
            "lod-meta", "/splats/lod/st-2lv-sh1");

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
        Path d = folder(target.toLowerCase(Locale.ROOT));
        Path f = d.resolve(name);
        if (target.equalsIgnoreCase("sog-image")) {
            if (data.length == 0) {
                return;
            }
            String image = IMAGES.get((data[0] & 0xFF) % IMAGES.size());
            try {
                Files.write(d.resolve(image), java.util.Arrays.copyOfRange(data, 1, data.length));
                readAll(f);
            } catch (MalformedInputException expected) {
                // as below
            } finally {
                copyFixture(BESIDE.get("sog-image") + "/" + image, d.resolve(image));
            }
            return;
        }
        Files.write(f, data);
        try {
            readAll(f);
            if (target.equalsIgnoreCase("lod-meta")) {
                LodSets.describe(f);
                try (SplatReader r = LodSets.open(f, java.util.List.of())) { // every level, not only the finest
                    drain(r);
                }
            }
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
            drain(r);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void drain(SplatReader r) throws IOException {
        SplatBatch b = new SplatBatch(r.info().layout(), 256);
        while (r.read(b) > 0) {
            // drain
        }
    }

    /** The folder of a target's inputs, holding the fixture its inputs are read beside (copied once). */
    private static Path folder(String target) throws IOException {
        Path d = dir.resolve(target);
        if (!Files.isDirectory(d)) {
            Files.createDirectories(d);
            String fixture = BESIDE.get(target);
            if (fixture != null) {
                java.net.URL url = ParserFuzz.class.getResource(fixture);
                if (url == null) {
                    throw new IllegalStateException("test resource " + fixture + " is missing");
                }
                Path from;
                try {
                    from = Path.of(url.toURI());
                } catch (java.net.URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
                try (java.util.stream.Stream<Path> s = Files.walk(from)) {
                    for (Path p : s.toList()) {
                        Path t = d.resolve(from.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(t);
                        } else {
                            Files.copy(p, t, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
        }
        return d;
    }

    private static void copyFixture(String resource, Path to) throws IOException {
        try (java.io.InputStream in = ParserFuzz.class.getResourceAsStream(resource)) {
            Files.copy(in, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
