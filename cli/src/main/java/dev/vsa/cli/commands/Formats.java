package dev.vsa.cli.commands;

import dev.vsa.core.splat.SplatFormat;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/** Format names on the command line: {@code --to spz}. Completion offers the writable ones. */
public final class Formats {
    /**
     * The splat formats vsa reads, as the help of every command that takes scene files names them (one constant:
     * annotations cannot call {@link SplatFormat}; HelpFormatsTest checks it names each readable one). No name with
     * a dot inside (meta.json, lod-meta.json): picocli may wrap a line after such a dot.
     */
    public static final String READABLE = "PLY, compressed PLY, .splat, .spz, .ksplat, SOG (.sog, or unbundled), "
            + "SOG LOD sets, GLB/glTF with KHR_gaussian_splatting";

    private Formats() {
    }

    /** Ids of the formats vsa writes, e.g. {@code ply, compressed-ply, splat, spz, glb, gltf}. */
    public static List<String> writableIds() {
        List<String> ids = new ArrayList<>();
        for (SplatFormat f : SplatFormat.values()) {
            if (f.writable()) {
                ids.add(f.id());
            }
        }
        return ids;
    }

    /** File-name endings of the formats vsa reads (without the dot), for completion and folder scans. */
    public static List<String> readableExtensions() {
        List<String> ext = new ArrayList<>();
        for (SplatFormat f : SplatFormat.values()) {
            String e = f.extension().substring(f.extension().lastIndexOf('.') + 1);
            if (f.readable() && !ext.contains(e)) {
                ext.add(e);
            }
        }
        return ext;
    }

    /** Whether a file name ends like a format vsa reads. */
    public static boolean readableName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String e : readableExtensions()) {
            if (lower.endsWith("." + e)) {
                return true;
            }
        }
        return false;
    }

    /** Completion candidates for {@code --to}. */
    public static final class Writable implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return writableIds().iterator();
        }
    }

    /** Parses a format id, rejecting unknown and read-only ones with the list of valid names. */
    public static final class Converter implements ITypeConverter<SplatFormat> {
        @Override
        public SplatFormat convert(String value) {
            SplatFormat f = SplatFormat.byId(value).orElseThrow(() -> new TypeConversionException(
                    "unknown format '" + value + "' (expected one of " + String.join(", ", writableIds()) + ")"));
            if (!f.writable()) {
                throw new TypeConversionException("vsa reads " + f.id() + " but cannot write it (expected one of "
                        + String.join(", ", writableIds()) + ")");
            }
            return f;
        }
    }
}
