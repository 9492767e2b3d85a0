package dev.vsa.core.fuzz;

import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.testing.SyntheticSplats;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes the seed corpus of each fuzz target under a folder ({@code args[0]}): small files vsa writes itself
 * (1 to 5 splats, SH degrees 0 and 1), and the small committed fixtures of each format (test resources).
 */
public final class FuzzSeeds {
    private FuzzSeeds() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path resources = Path.of(args.length > 1 ? args[1] : "core/src/test/resources");
        write(root, "ply-binary", SplatFormat.PLY);
        write(root, "compressed-ply", SplatFormat.COMPRESSED_PLY);
        write(root, "splat", SplatFormat.SPLAT);
        write(root, "spz", SplatFormat.SPZ);
        write(root, "glb", SplatFormat.GLB);
        write(root, "gltf-json", SplatFormat.GLTF);
        write(root, "glb", SplatFormat.GLB_SPZ);
        write(root, "ksplat", SplatFormat.KSPLAT);
        write(root, "sog", SplatFormat.SOG);
        copy(resources.resolve("splats/sog"), root.resolve("sog"), p -> p.endsWith(".sog"));
        copy(resources.resolve("splats/sog"), root.resolve("sog-meta"), p -> p.endsWith("meta.json"));
        copy(resources.resolve("splats/lod"), root.resolve("lod-meta"), p -> p.endsWith("lod-meta.json"));
        copy(resources.resolve("splats/khr-spz"), root.resolve("glb"), p -> p.endsWith(".glb"));
        copy(resources.resolve("splats/khr-spz"), root.resolve("gltf-json"), p -> p.endsWith(".gltf"));
        Path images = root.resolve("sog-image");
        Files.createDirectories(images);
        for (int i = 0; i < ParserFuzz.IMAGES.size(); i++) {
            byte[] webp = Files.readAllBytes(resources.resolve("splats/sog/st-2k-sh1").resolve(ParserFuzz.IMAGES.get(i)));
            byte[] seed = new byte[webp.length + 1];
            seed[0] = (byte) i;
            System.arraycopy(webp, 0, seed, 1, webp.length);
            Files.write(images.resolve("image-" + i), seed);
        }
        copy(resources.resolve("splats"), root.resolve("ply-ascii"), p -> p.endsWith("unitCube-ascii.ply"));
        copy(resources.resolve("splats"), root.resolve("ply-binary"), p -> p.endsWith("st-minimal.ply"));
        copy(resources.resolve("splats"), root.resolve("compressed-ply"), p -> p.endsWith(".compressed.ply"));
        copy(resources.resolve("splats"), root.resolve("spz"), p -> p.endsWith(".spz"));
        copy(resources.resolve("splats"), root.resolve("ksplat"), p -> p.endsWith(".ksplat"));
        copy(resources.resolve("splats"), root.resolve("splat"), p -> p.endsWith(".splat"));
        copy(resources.resolve("khronos-validator-suite"), root.resolve("gltf-json"), p -> p.endsWith(".gltf"));
        copy(resources.resolve("khronos-validator-suite"), root.resolve("glb"), p -> p.endsWith(".glb"));
        copy(resources.resolve("splat-gltf"), root.resolve("gltf-json"), p -> p.endsWith(".gltf"));
        copy(resources.resolve("splat-gltf"), root.resolve("glb"), p -> p.endsWith(".glb"));
        // an ASCII PLY of vsa's own layout, so mutations reach the row parser quickly
        Path ascii = root.resolve("ply-ascii");
        Files.createDirectories(ascii);
        StringBuilder ply = new StringBuilder("ply\nformat ascii 1.0\nelement vertex 2\n");
        for (String p : List.of("x", "y", "z", "f_dc_0", "f_dc_1", "f_dc_2", "opacity", "scale_0", "scale_1",
                "scale_2", "rot_0", "rot_1", "rot_2", "rot_3")) {
            ply.append("property float ").append(p).append('\n');
        }
        ply.append("end_header\n0 0 0 0.1 0.2 0.3 1 -2 -2 -2 1 0 0 0\n1 2 3 -0.1 0 0.5 -1 -1 -3 -2 0.7 0.7 0 0\n");
        Files.writeString(ascii.resolve("vsa-2.ply"), ply);
    }

    private static void write(Path root, String target, SplatFormat format) throws IOException {
        Path d = root.resolve(target);
        Files.createDirectories(d);
        int i = 0;
        for (int degree : new int[] {0, 1}) {
            for (int count : new int[] {1, 5}) {
                String ext = format == SplatFormat.COMPRESSED_PLY ? ".compressed.ply" : format.extension();
                Path f = d.resolve("vsa-" + (i++) + ext);
                SyntheticSplats.write(f, format, SyntheticSplats.layout(degree), count, 7 + i);
            }
        }
    }

    private interface Filter {
        boolean take(String path);
    }

    private static void copy(Path from, Path to, Filter filter) throws IOException {
        Files.createDirectories(to);
        if (!Files.isDirectory(from)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(from)) {
            files = s.filter(Files::isRegularFile).filter(p -> filter.take(p.toString()))
                    .filter(p -> size(p) <= 128 * 1024).toList();
        }
        for (Path p : files) {
            try (InputStream in = Files.newInputStream(p)) {
                Files.copy(in, to.resolve(from.relativize(p).toString().replace('/', '_')),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }
}
