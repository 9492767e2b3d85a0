package dev.vsa.cli.batch;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Expands batch arguments into files, each with the path it has below its own root, so the output tree can
 * mirror the input tree: a file is its own root's child, a folder is walked recursively, a glob
 * ({@code scenes/**}{@code /*.ply}) is matched below its longest folder prefix without wildcards.
 */
public final class Inputs {
    private Inputs() {
    }

    /** One input file and its path relative to the root it was found under. */
    public record Input(Path file, Path relative) {
    }

    /**
     * Expands one argument.
     *
     * @param accept which file names a folder walk keeps (a named file is always kept)
     * @throws NoSuchFileException if the argument is neither an existing path nor a glob
     */
    public static List<Input> expand(String arg, Predicate<String> accept) throws IOException {
        Path p = Path.of(arg);
        if (!isGlob(arg) || Files.exists(p)) {
            if (Files.isDirectory(p)) {
                List<Input> found = walk(p, rel -> accept.test(rel.getFileName().toString()));
                if (found.isEmpty()) { // a wrong folder is said to be one, as a glob matching nothing is
                    throw new NoSuchFileException(arg, null, "no file vsa reads in this folder");
                }
                return found;
            }
            if (!Files.exists(p)) {
                throw new NoSuchFileException(arg);
            }
            return List.of(new Input(p, p.getFileName()));
        }
        // Split at the first segment with a wildcard: the part before is the root to walk.
        String norm = arg.replace('\\', '/');
        String[] parts = norm.split("/", -1);
        int first = 0;
        while (first < parts.length && !isGlob(parts[first])) {
            first++;
        }
        String rootText = String.join("/", java.util.Arrays.copyOfRange(parts, 0, first));
        Path root = rootText.isEmpty() ? Path.of(".") : Path.of(norm.startsWith("/") && rootText.isEmpty() ? "/" : rootText);
        String pattern = String.join("/", java.util.Arrays.copyOfRange(parts, first, parts.length));
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(arg, null, "no file matches (no folder " + root + ")");
        }
        List<PathMatcher> matchers = new ArrayList<>();
        for (String variant : zeroFolderVariants(pattern)) {
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + variant));
        }
        List<Input> found = walk(root, rel -> matchers.stream().anyMatch(m -> m.matches(rel)));
        if (found.isEmpty()) {
            throw new NoSuchFileException(arg, null, "no file matches");
        }
        return found;
    }

    /**
     * The pattern and every form of it with some {@code **}{@code /} segments left out, so that {@code **}{@code /}
     * also matches zero folders (as bash's globstar and gitignore do): {@code a/**}{@code /*.ply} matches
     * {@code a/top.ply}. Java's glob alone needs at least one folder there.
     */
    public static List<String> zeroFolderVariants(String pattern) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        variants(pattern, 0, out);
        return List.copyOf(out);
    }

    private static void variants(String p, int from, java.util.Set<String> out) {
        int i = p.indexOf("**/", from);
        while (i > 0 && p.charAt(i - 1) != '/') { // "a**/" is not a whole segment
            i = p.indexOf("**/", i + 1);
        }
        if (i < 0 || out.size() >= 64) {
            out.add(p);
            return;
        }
        variants(p, i + 3, out); // this one matches one folder or more
        variants(p.substring(0, i) + p.substring(i + 3), i, out); // ... or none
    }

    private static List<Input> walk(Path root, Predicate<Path> keepRelative) throws IOException {
        List<Input> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isRegularFile).sorted().forEach(f -> {
                Path rel = root.relativize(f);
                if (keepRelative.test(rel)) {
                    out.add(new Input(f, rel));
                }
            });
        }
        return out;
    }

    /** Whether a string holds glob wildcards. */
    static boolean isGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }
}
