package dev.vsa.cli.commands;

import dev.vsa.cli.BaseCommand;
import dev.vsa.cli.ExitCodes;
import dev.vsa.cli.JsonMixin;
import dev.vsa.cli.output.Json;
import dev.vsa.cli.output.Table;
import dev.vsa.cli.output.Errors;
import dev.vsa.core.error.MalformedInputException;
import dev.vsa.core.gltf.GltfInspection;
import dev.vsa.core.gltf.GltfInspector;
import dev.vsa.core.scene.DetectedScene;
import dev.vsa.core.scene.SceneKind;
import dev.vsa.core.scene.Scenes;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.vsa.cli.output.Progress;
import dev.vsa.core.inspect.SplatInspection;
import dev.vsa.core.inspect.SplatInspector;
import dev.vsa.core.inspect.SplatStatistics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code vsa inspect FILE...}: what files hold. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {
            "Show what scene files hold. Splat files (including GLB/glTF with KHR_gaussian_splatting): format "
                    + "and version, splat count, SH degree, bounding box, each column's min/max/mean and NaN/infinite "
                    + "counts, extra properties, file size and bytes per splat. glTF/GLB mesh files: scenes, nodes, "
                    + "meshes and primitives, materials, textures, animations, skins, extensions and bytes by kind.",
            "A file that cannot be read is reported and the others are still inspected.",
            "With --json, prints a JSON array with one object per file (see docs/cli-json.md).",
            "--stats adds, for splat files, each column's mean, standard deviation, median, 1st/99th percentile and a "
                    + "16-bin histogram over that range, and the overdraw figure: the splats' summed footprint (1-sigma "
                    + "ellipse over the two largest scales) over the scene's cross-section (mean face of the 1st-99th "
                    + "percentile box), about how many splat layers a ray crosses (splat-transform's fillRatio). "
                    + "Healthy captures score ones to hundreds; a pipeline can refuse to publish past a bound, e.g. "
                    + "jq -e '.[0].stats.overdraw.ratio < 500'. One streaming pass, memory independent of the count."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  vsa inspect vsa-demo/demo.ply",
            "  vsa inspect vsa-demo/demo.spz vsa-demo/demo.glb",
            "  vsa inspect model.glb",
            "  vsa inspect --json scene.ply | jq '.[0].count'",
            "  vsa inspect --stats vsa-demo/demo.ply",
            "  vsa inspect --stats --json scene.ply | jq -e '.[0].stats.overdraw.ratio < 500'   (gate a publish)"})
public final class Inspect extends BaseCommand {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to inspect.")
    List<Path> files;

    @Mixin
    JsonMixin json;

    @picocli.CommandLine.Option(names = "--stats", description = "For splat files, also each column's distribution "
            + "(mean, standard deviation, median, 1st/99th percentile, a 16-bin histogram) and the overdraw figure "
            + "(see above and docs/cli-json.md).")
    boolean stats;

    /**
     * The {@code --json} object of a splat file: the file, {@code kind: "splats"}, then core's inspection; a LOD
     * set's structure ({@code lod}) and, with {@code --stats}, a {@code stats} object.
     */
    public record SplatFileJson(String file, String kind, @JsonUnwrapped SplatInspection inspection,
                                @com.fasterxml.jackson.annotation.JsonInclude(
                                        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                                dev.vsa.core.lod.LodSetInfo lod,
                                @com.fasterxml.jackson.annotation.JsonInclude(
                                        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) StatsJson stats) {
    }

    /** {@code stats}: per-column distributions and the overdraw figure. */
    public record StatsJson(List<SplatStatistics.Distribution> columns, SplatStatistics.Overdraw overdraw) {
    }

    /** The {@code --json} object of a glTF/GLB mesh file. */
    public record MeshFileJson(String file, String kind, String format, long fileSize, GltfInspection gltf) {
    }

    /** The {@code --json} object of a file that could not be inspected. */
    public record ErrorJson(String file, String kind, String code, String where, String message) {
    }

    @Override
    protected int run() {
        List<Object> results = new ArrayList<>();
        int exit = ExitCodes.OK;
        boolean first = true;
        for (Path f : files) {
            if (!json.json() && !first) {
                out().println();
            }
            first = false;
            try {
                // A missing input is an I/O problem (exit 3), like in convert, not a usage error.
                dev.vsa.cli.InputFiles.requireRegular(f);
                DetectedScene scene = Scenes.detect(f);
                if (scene.kind() == SceneKind.MESH) {
                    GltfInspection g = GltfInspector.inspect(f);
                    MeshFileJson m = new MeshFileJson(f.toString(), "mesh", scene.format().id(), g.fileSize(), g);
                    results.add(m);
                    if (!json.json()) {
                        printMesh(m);
                    }
                } else {
                    SplatFileJson s = inspectSplats(f);
                    results.add(s);
                    if (!json.json()) {
                        printSplats(s);
                    }
                }
            } catch (MalformedInputException e) {
                results.add(new ErrorJson(f.toString(), "error", e.code().name(), e.where(), e.getMessage()));
                err().println("error: " + f + ": " + e);
                exit = Math.max(exit, ExitCodes.INVALID);
            } catch (IOException e) {
                results.add(new ErrorJson(f.toString(), "error", "IO_ERROR", null, Errors.describe(e)));
                err().println("error: " + Errors.describe(e));
                exit = ExitCodes.IO;
            }
        }
        if (json.json()) {
            Json.print(out(), results);
        }
        return exit;
    }

    private void printMesh(MeshFileJson m) {
        GltfInspection g = m.gltf();
        out().println(m.file());
        GltfInspection.Asset a = g.asset();
        out().printf("  format         %s (glTF %s%s)%n", m.format(), a == null ? "?" : a.version(),
                a == null || a.generator() == null ? "" : ", generator " + a.generator());
        out().printf("  file size      %s (%s)%n", Table.bytes(m.fileSize()), Table.count(m.fileSize(), "byte"));
        out().printf("  objects        %s%n", String.join(", ", Table.count(g.scenes().size(), "scene"),
                Table.count(g.nodes().size(), "node"), Table.count(g.meshes().size(), "mesh", "meshes"),
                Table.count(g.materials().size(), "material"), Table.count(g.textures().size(), "texture"),
                Table.count(g.images().size(), "image"), Table.count(g.animations().size(), "animation"),
                Table.count(g.skins().size(), "skin")));
        GltfInspection.Totals t = g.totals();
        if (t != null) {
            out().printf("  totals         %s, %s, %s%s%n", Table.count(t.drawCallCount(), "draw call"),
                    Table.count(t.totalVertexCount(), "vertex", "vertices"), Table.count(t.totalTriangleCount(), "triangle"),
                    t.splatCount() > 0 ? ", " + Table.count(t.splatCount(), "splat") : "");
        }
        out().printf("  extensions     used: %s; required: %s%n", list(g.extensionsUsed()),
                list(g.extensionsRequired()));
        GltfInspection.Bytes b = g.bytes();
        if (b != null) {
            out().printf("  bytes          geometry %s, indices %s, images %s, animation %s, other %s, total %s%n",
                    Table.bytes(b.geometry()), Table.bytes(b.indices()), Table.bytes(b.images()),
                    Table.bytes(b.animation()), Table.bytes(b.other()), Table.bytes(b.total()));
        }
        if (!g.meshes().isEmpty()) {
            Table mt = new Table("mesh", "prim", "mode", "vertices", "indices", "triangles", "material", "attributes");
            for (int i = 0; i < g.meshes().size(); i++) {
                GltfInspection.Mesh mesh = g.meshes().get(i);
                for (int p = 0; p < mesh.primitives().size(); p++) {
                    GltfInspection.Primitive pr = mesh.primitives().get(p);
                    mt.row(i + (mesh.name() == null ? "" : " " + mesh.name()), p, pr.modeName(), pr.vertexCount(),
                            pr.indexCount(), pr.triangles(), pr.material(), String.join(" ", pr.attributes())
                                    + (pr.extensions().isEmpty() ? "" : " +" + String.join(" +", pr.extensions())));
                }
            }
            indented(mt);
        }
        if (!g.materials().isEmpty()) {
            Table t2 = new Table("material", "alpha", "double-sided", "textures", "extensions");
            for (int i = 0; i < g.materials().size(); i++) {
                GltfInspection.Material mat = g.materials().get(i);
                t2.row(i + (mat.name() == null ? "" : " " + mat.name()), mat.alphaMode(), mat.doubleSided(),
                        mat.textures(), list(mat.extensions()));
            }
            indented(t2);
        }
        if (!g.textures().isEmpty()) {
            Table t3 = new Table("texture", "image", "type", "width", "height");
            for (int i = 0; i < g.textures().size(); i++) {
                GltfInspection.Texture tex = g.textures().get(i);
                t3.row(i + (tex.name() == null ? "" : " " + tex.name()), tex.source(), tex.mimeType(), tex.width(),
                        tex.height());
            }
            indented(t3);
        }
        if (!g.animations().isEmpty()) {
            Table t4 = new Table("animation", "channels", "samplers", "duration (s)");
            for (int i = 0; i < g.animations().size(); i++) {
                GltfInspection.Animation an = g.animations().get(i);
                t4.row(i + (an.name() == null ? "" : " " + an.name()), an.channels(), an.samplers(), an.duration());
            }
            indented(t4);
        }
        if (!g.skins().isEmpty()) {
            Table t5 = new Table("skin", "joints");
            for (int i = 0; i < g.skins().size(); i++) {
                GltfInspection.Skin sk = g.skins().get(i);
                t5.row(i + (sk.name() == null ? "" : " " + sk.name()), sk.joints());
            }
            indented(t5);
        }
    }

    private static String list(List<String> l) {
        return l == null || l.isEmpty() ? "none" : String.join(", ", l);
    }

    private void indented(Table t) {
        java.io.StringWriter sw = new java.io.StringWriter();
        t.print(new java.io.PrintWriter(sw));
        out().println();
        sw.toString().lines().forEach(l -> out().println("  " + l));
    }

    private SplatFileJson inspectSplats(Path f) throws IOException {
        try (Progress p = Progress.start("inspect", -1, !json.json())) {
            SplatInspection s;
            StatsJson st = null;
            if (stats) {
                SplatStatistics all = SplatInspector.statistics(f, p);
                s = all.inspection();
                st = new StatsJson(all.columns(), all.overdraw());
            } else {
                s = SplatInspector.inspect(f, p);
            }
            // a LOD set: its structure from lod-meta.json; the statistics above are of its finest level
            return new SplatFileJson(f.toString(), "splats", s, s.format().equals(dev.vsa.core.splat.SplatFormat.LOD.id())
                    ? dev.vsa.core.lod.LodSets.describe(f) : null, st);
        }
    }

    private void printSplats(SplatFileJson file) {
        SplatInspection s = file.inspection();
        out().println(file.file());
        out().printf("  format         %s%s%s%n", s.format(), s.version() > 0 ? " v" + s.version() : "",
                s.variant() == null || s.variant().isEmpty() ? "" : " (" + s.variant() + ")");
        out().printf("  splats         %d%n", s.count());
        out().printf("  SH degree      %d%n", s.shDegree());
        out().printf(Locale.ROOT, "  file size      %s (%s, %.1f bytes/splat)%n", Table.bytes(s.fileSize()),
                Table.count(s.fileSize(), "byte"), s.bytesPerSplat());
        SplatInspection.Bounds b = s.bounds();
        out().printf(Locale.ROOT, "  bbox           %s%n", b == null ? "none (no finite position)"
                : "[" + num(b.minX()) + ", " + num(b.minY()) + ", " + num(b.minZ()) + "] .. [" + num(b.maxX()) + ", "
                        + num(b.maxY()) + ", " + num(b.maxZ()) + "]");
        out().printf("  extras         %s%n", s.extras().isEmpty() ? "none" : String.join(", ", s.extras()));
        Table t = new Table("column", "min", "max", "mean", "NaN", "Inf");
        for (SplatInspection.ColumnStats c : s.columns()) {
            t.row(c.name(), num(c.min()), num(c.max()), num(c.mean()), c.nanCount(), c.infCount());
        }
        indented(t);
        if (file.lod() != null) {
            printLod(file.lod());
        }
        if (file.stats() != null) {
            Table d = new Table("column", "median", "std dev", "p1", "p99", "histogram p1..p99 (16 bins)", "<p1", ">p99");
            for (SplatStatistics.Distribution c : file.stats().columns()) {
                SplatStatistics.Histogram h = c.histogram();
                d.row(c.name(), num(c.median()), num(c.stdDev()), num(c.p1()), num(c.p99()),
                        h == null ? "-" : spark(h.counts()), h == null ? null : h.below(), h == null ? null : h.above());
            }
            indented(d);
            SplatStatistics.Overdraw o = file.stats().overdraw();
            out().println();
            out().printf(Locale.ROOT, "  overdraw       %s (footprint %s / cross-section %s; 1st-99th percentile extent %s x %s x %s)%n",
                    o.ratio() == null ? "none (degenerate extent or an infinite scale)" : num(o.ratio()),
                    num(o.footprintArea()), num(o.crossSection()), num(o.extent().get(0)), num(o.extent().get(1)),
                    num(o.extent().get(2)));
        }
    }

    /** A LOD set's levels and chunks (the columns above are of its finest level). */
    private void printLod(dev.vsa.core.lod.LodSetInfo lod) {
        out().println();
        out().printf(Locale.ROOT, "  LOD set        lod-meta.json %s%s: %s, %s over all levels, %s (%s), %s%s%n",
                lod.version() == 0 ? "(no version)" : "v" + lod.version(),
                lod.generator() == null ? "" : " by " + lod.generator(), Table.count(lod.levels().size(), "level"),
                Table.count(lod.count(), "splat"), Table.count(lod.chunks().size(), "chunk"),
                Table.count(lod.treeNodes(), "tree node"), Table.count(lod.files().size(), "file"),
                lod.environment() == null ? "" : ", environment " + lod.environment());
        out().println("  (the columns above are level 0's; convert --lod LEVELS reads others)");
        Table t = new Table("level", "splats", "files", "chunks");
        for (dev.vsa.core.lod.LodSetInfo.Level l : lod.levels()) {
            t.row(l.level(), l.count(), l.files(), l.chunks());
        }
        indented(t);
        if (lod.bounds() != null) {
            dev.vsa.core.lod.LodSetInfo.Bounds b = lod.bounds();
            out().printf(Locale.ROOT, "  chunk bounds   [%s, %s, %s] .. [%s, %s, %s]%n", num(b.minX()), num(b.minY()),
                    num(b.minZ()), num(b.maxX()), num(b.maxY()), num(b.maxZ()));
        }
        Table c = new Table("chunk", "splats per level", "bound min", "bound max");
        int shown = Math.min(lod.chunks().size(), 20);
        for (int i = 0; i < shown; i++) {
            dev.vsa.core.lod.LodSetInfo.Chunk ch = lod.chunks().get(i);
            dev.vsa.core.lod.LodSetInfo.Bounds b = ch.bounds();
            c.row(i, ch.counts().toString(), b == null ? "-" : num(b.minX()) + ", " + num(b.minY()) + ", " + num(b.minZ()),
                    b == null ? "-" : num(b.maxX()) + ", " + num(b.maxY()) + ", " + num(b.maxZ()));
        }
        indented(c);
        if (shown < lod.chunks().size()) {
            out().println("  ... " + Table.count(lod.chunks().size() - shown, "more chunk", "more chunks") + " (--json lists all)");
        }
    }

    /** Counts as a bar of block characters, the tallest bin full. */
    static String spark(List<Long> counts) {
        String bars = " ▁▂▃▄▅▆▇█";
        long max = counts.stream().mapToLong(Long::longValue).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (long c : counts) {
            sb.append(max == 0 ? ' ' : bars.charAt((int) Math.ceil(8.0 * c / max)));
        }
        return sb.toString();
    }

    private static String num(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }
}
