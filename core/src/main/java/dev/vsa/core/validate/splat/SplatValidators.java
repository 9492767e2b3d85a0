package dev.vsa.core.validate.splat;

import dev.vsa.core.format.Codecs;
import dev.vsa.core.splat.SplatFormat;
import dev.vsa.core.validate.SplatFileValidator;

import java.util.List;

/** The registry of splat-file validators, asked in this order by {@link dev.vsa.core.validate.Validator}. */
public final class SplatValidators {
    /**
     * Formats recognised by content come first; {@code .splat}, which has no header, last. A validator is
     * listed only when its format's codec is registered (a format without a reader cannot be validated).
     * MIME types: {@code model/x-ply}, {@code model/x-ply-compressed}, {@code model/x-spz},
     * {@code model/x-ksplat}, {@code model/x-splat}, {@code model/x-sog}
     * (a LOD set's lod-meta.json is {@code application/json}; none is registered with IANA).
     */
    private static final List<SplatFileValidator> ALL = List.<CodecSplatValidator>of(
                    new CodecSplatValidator(SplatFormat.COMPRESSED_PLY, "model/x-ply-compressed", false),
                    new CodecSplatValidator(SplatFormat.PLY, "model/x-ply", false),
                    new CodecSplatValidator(SplatFormat.SPZ, "model/x-spz", true),
                    new CodecSplatValidator(SplatFormat.KSPLAT, "model/x-ksplat", true),
                    new CodecSplatValidator(SplatFormat.SPLAT, "model/x-splat", true),
                    // SOG (a .sog zip, or an unbundled meta.json) and LOD sets (lod-meta.json): JSON or zip content
                    // told apart by name and content, never taken for glTF
                    new CodecSplatValidator(SplatFormat.SOG, "model/x-sog", true),
                    new CodecSplatValidator(SplatFormat.LOD, "application/json", true))
            .stream()
            .filter(v -> Codecs.all().stream().anyMatch(c -> c.format() == v.format()))
            .map(v -> (SplatFileValidator) v)
            .toList();

    private SplatValidators() {
    }

    /** Every registered splat validator. */
    public static List<SplatFileValidator> all() {
        return ALL;
    }
}
