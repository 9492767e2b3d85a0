package dev.vsa.cli.commands;

import dev.vsa.core.gltf.GltfConverter;
import dev.vsa.core.progress.ProgressListener;
import dev.vsa.core.scene.DetectedScene;
import dev.vsa.core.scene.SceneKind;
import dev.vsa.core.scene.Scenes;
import dev.vsa.core.splat.ConvertOptions;
import dev.vsa.core.splat.ConvertResult;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.splat.Splats;
import dev.vsa.core.splat.WriteOptions;
import dev.vsa.core.transform.Transform;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** The conversions convert and batch share: splats between formats, glTF meshes between .gltf and .glb. */
final class Conversions {
    private Conversions() {
    }

    /**
     * Result of one conversion.
     *
     * @param splatsIn splats read, or null for a mesh conversion
     * @param splats   splats written, or null for a mesh conversion
     * @param shDegree the output's SH degree, or null for a mesh conversion
     * @param bytesOut what was written: the file, and for a .gltf its .bin and images
     * @param losses   what the conversion dropped or rounded (see {@link ConvertResult#losses()}); empty for meshes
     */
    record Result(String from, String to, SceneKind kind, Long splatsIn, Long splats, Integer shDegree, long bytesOut,
                  List<String> losses) {
        /** Splats the transforms dropped (filters, crops, decimation); null for meshes. */
        Long removed() {
            return splatsIn == null ? null : splatsIn - splats;
        }
    }

    /** How to convert. */
    record Options(SplatFormat to, WriteOptions write, boolean embed, List<Transform> transforms) {
    }

    /**
     * Converts {@code in} (format found by content) to {@code out}.
     *
     * @throws UnsupportedOperationException if {@code in} holds meshes and the target is not glb or gltf
     */
    static Result convert(Path in, Path out, Options options, ProgressListener progress) throws IOException {
        DetectedScene scene = Scenes.detect(in);
        if (scene.kind() == SceneKind.MESH) {
            if (!options.transforms().isEmpty()) {
                throw new UnsupportedOperationException(in.getFileName() + " holds glTF meshes: transforms apply to "
                        + "splats only");
            }
            if (options.to() == SplatFormat.GLB) {
                GltfConverter.toGlb(in, out);
            } else if (options.to() == SplatFormat.GLTF) {
                GltfConverter.toGltf(in, out, options.embed());
            } else {
                throw new UnsupportedOperationException(in.getFileName() + " holds glTF meshes, not splats: "
                        + "convert it --to glb or --to gltf");
            }
            return new Result(scene.format().id(), options.to().id(), SceneKind.MESH, null, null, null, gltfBytes(out),
                    List.of());
        }
        ConvertOptions convert = new ConvertOptions(options.to(), options.write(), options.transforms());
        if (options.to() == SplatFormat.GLTF && options.embed()) {
            // Splats as a .gltf with data URIs: written as a GLB (hidden, beside the output), then unpacked with
            // everything embedded by the same code as meshes.
            Path dir = out.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                throw new java.nio.file.NoSuchFileException(dir.toString(), null, "no such folder");
            }
            Path glb = dir.resolve(".vsa-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current()
                    .nextLong()) + "-embed.glb");
            try {
                ConvertResult r = Splats.convert(in, glb, new ConvertOptions(SplatFormat.GLB, options.write(), options.transforms()), progress);
                GltfConverter.toGltf(glb, out, true);
                return new Result(r.input().format().id(), SplatFormat.GLTF.id(), SceneKind.SPLAT, r.splatsIn(),
                        r.splatsOut(), r.shDegreeOut(), Files.size(out), r.losses());
            } finally {
                Files.deleteIfExists(glb);
            }
        }
        ConvertResult r = Splats.convert(in, out, convert, progress);
        return new Result(r.input().format().id(), r.outputFormat().id(), SceneKind.SPLAT, r.splatsIn(), r.splatsOut(),
                r.shDegreeOut(), r.bytesOut(), r.losses());
    }

    /**
     * Writes a self-contained viewer page ({@link dev.vsa.server.StandaloneViewer}): splats through SPZ v3 (the SPZ the
     * viewer's Spark reads; transforms applied on the way), meshes through GLB; the intermediate file is temporary.
     */
    static Result toHtml(Path in, Path out, List<Transform> transforms, ProgressListener progress) throws IOException {
        DetectedScene scene = Scenes.detect(in);
        Path dir = out.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            throw new java.nio.file.NoSuchFileException(dir.toString(), null, "no such folder");
        }
        boolean mesh = scene.kind() == SceneKind.MESH;
        Path embedded = dir.resolve(".vsa-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current()
                .nextLong()) + (mesh ? "-page.glb" : "-page.spz"));
        try {
            String title = in.getFileName().toString();
            if (mesh) {
                if (!transforms.isEmpty()) {
                    throw new UnsupportedOperationException(in.getFileName() + " holds glTF meshes: transforms apply to "
                            + "splats only");
                }
                GltfConverter.toGlb(in, embedded);
                dev.vsa.server.StandaloneViewer.write(embedded, dev.vsa.server.StandaloneViewer.Kind.MESH, "glb", title, out);
                return new Result(scene.format().id(), "html", SceneKind.MESH, null, null, null, Files.size(out), List.of());
            }
            ConvertResult r = Splats.convert(in, embedded, new ConvertOptions(SplatFormat.SPZ, new WriteOptions(3),
                    transforms), progress);
            dev.vsa.server.StandaloneViewer.write(embedded, dev.vsa.server.StandaloneViewer.Kind.SPLAT, "spz", title, out);
            return new Result(r.input().format().id(), "html", SceneKind.SPLAT, r.splatsIn(), r.splatsOut(),
                    r.shDegreeOut(), Files.size(out), r.losses());
        } finally {
            Files.deleteIfExists(embedded);
        }
    }

    /**
     * {@code e} as the user should see it: a failure on a hidden {@code .vsa-} temporary file or folder written beside
     * {@code out} names {@code out}, the path the user gave (it said "no such file: /proc/.vsa-c8be...-version.spz");
     * any other failure is returned as it is.
     */
    static IOException namingOut(IOException e, Path out) {
        if (!(e instanceof FileSystemException fse) || fse.getFile() == null) {
            return e;
        }
        Path dir = out.toAbsolutePath().getParent();
        Path file = Path.of(fse.getFile()).toAbsolutePath();
        if (dir == null || !file.startsWith(dir) || file.equals(dir)
                || !dir.relativize(file).getName(0).toString().startsWith(".vsa-")) {
            return e;
        }
        String where = out.toString();
        FileSystemException named = switch (fse) {
            // creating a file where none can be (a folder like /proc) fails as "no such file"
            case NoSuchFileException n -> new NoSuchFileException(where, null,
                    n.getReason() != null ? n.getReason() : "cannot create");
            case AccessDeniedException a -> new AccessDeniedException(where, null, a.getReason());
            default -> new FileSystemException(where, null, fse.getReason() != null ? fse.getReason() : "cannot write");
        };
        named.initCause(e);
        return named;
    }

    /** The size of a written .gltf with the files it names beside it (buffers, images); of any other file, its size. */
    static long gltfBytes(Path out) throws IOException {
        long total = Files.size(out);
        if (!out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gltf")) {
            return total;
        }
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toFile());
        Path dir = out.toAbsolutePath().getParent();
        for (String array : List.of("buffers", "images")) {
            for (com.fasterxml.jackson.databind.JsonNode n : json.path(array)) {
                String uri = n.path("uri").asText("");
                if (!uri.isEmpty() && !uri.startsWith("data:") && !uri.contains(":")) {
                    Path p = dir.resolve(java.net.URLDecoder.decode(uri.replace("+", "%2B"),
                            java.nio.charset.StandardCharsets.UTF_8)).normalize();
                    if (p.startsWith(dir) && Files.isRegularFile(p)) {
                        total += Files.size(p);
                    }
                }
            }
        }
        return total;
    }

    /** Converts splats without transforms. */
    static Result convertSplats(Path in, Path out, SplatFormat to, WriteOptions options, ProgressListener progress)
            throws IOException {
        return convert(in, out, new Options(to, options, false, List.of()), progress);
    }
}
