package dev.vsa.core.splat;

import java.util.Locale;
import java.util.Optional;

/** The splat file formats vsa knows, with what it can do with each. */
public enum SplatFormat {
    /** 3DGS PLY (graphdeco-inria layout), ascii or binary; written binary little-endian. */
    PLY("ply", ".ply", true, true),
    /** PlayCanvas compressed PLY ({@code chunk} + packed {@code vertex} elements). */
    COMPRESSED_PLY("compressed-ply", ".compressed.ply", true, true),
    /** antimatter15 {@code .splat}: 32 bytes a splat, no header. */
    SPLAT("splat", ".splat", true, true),
    /** Niantic SPZ, versions 2 and 3 (gzip) and 4 (zstd). */
    SPZ("spz", ".spz", true, true),
    /** Binary glTF holding a {@code KHR_gaussian_splatting} primitive. */
    GLB("glb", ".glb", true, true),
    /**
     * Binary glTF whose {@code KHR_gaussian_splatting} primitive is compressed with SPZ
     * ({@code KHR_gaussian_splatting_compression_spz_2}); written only on request, read as {@link #GLB}.
     */
    GLB_SPZ("glb-spz", ".glb", true, true),
    /** JSON glTF holding a {@code KHR_gaussian_splatting} primitive (buffer embedded or beside it). */
    GLTF("gltf", ".gltf", true, true),
    /** mkkellogg GaussianSplats3D {@code .ksplat}, compression levels 0-2 ({@link WriteOptions#ksplatLevel()}). */
    KSPLAT("ksplat", ".ksplat", true, true),
    /**
     * PlayCanvas SOG (versions 1 and 2 read, 2 written): a {@code .sog} zip, or {@code meta.json} with WebP images beside it (a name
     * ending in {@code .json} is written unbundled). Needs the optional {@code com.github.usefulness:webp-imageio}.
     */
    SOG("sog", ".sog", true, true),
    /**
     * PlayCanvas streamed SOG (a LOD set): {@code lod-meta.json} naming SOG units, one level each, in folders beside
     * it ({@code <level>_<n>/meta.json}); read whole or by level ({@link dev.vsa.core.lod.LodSets}).
     */
    LOD("lod", "lod-meta.json", true, true),
    /** CSV: the PLY's column names, then one line a splat (write only, for spreadsheets and scripts). */
    CSV("csv", ".csv", false, true);

    private final String id;
    private final String extension;
    private final boolean readable;
    private final boolean writable;

    SplatFormat(String id, String extension, boolean readable, boolean writable) {
        this.id = id;
        this.extension = extension;
        this.readable = readable;
        this.writable = writable;
    }

    /** The short name used on the command line and in JSON ({@code ply}, {@code spz}, ...). */
    public String id() {
        return id;
    }

    /** The file-name ending this format is written with. */
    public String extension() {
        return extension;
    }

    /** Whether vsa reads this format. */
    public boolean readable() {
        return readable;
    }

    /** Whether vsa writes this format ({@link Splats#create}, {@link Splats#convert}). */
    public boolean writable() {
        return writable;
    }

    /** The format whose {@link #id()} is {@code id} (case-insensitive), if any. */
    /**
     * The highest SH degree this format stores (0 for {@code .splat}, 2 for {@code .ksplat}, else
     * {@link SplatLayout#MAX_SH_DEGREE}).
     */
    public int maxShDegree() {
        return switch (this) {
            case SPLAT -> 0;
            case KSPLAT -> 2;
            default -> SplatLayout.MAX_SH_DEGREE;
        };
    }

    /** Whether a writer of this format keeps a layout's extra properties (only PLY does). */
    public boolean keepsExtras() {
        return this == PLY;
    }

    /**
     * What this format's encoding rounds away from vsa's float32 columns, in a few words, or null if it stores them
     * as float32 (PLY, glTF/GLB).
     */
    public String precisionLoss() {
        return switch (this) {
            case SPLAT -> "colour, opacity and rotation rounded to 8 bits";
            case SPZ -> "positions to 24-bit fixed point; scales, rotations, colours, opacity and SH to 8 bits or fewer";
            case COMPRESSED_PLY -> "positions, scales and rotations packed to 10-11 bits per 256-splat chunk; colours "
                    + "and SH to 8 bits";
            case KSPLAT -> "colour and opacity to 8 bits; at levels 1-2 positions to 16 bits in 5-unit buckets, scales, "
                    + "rotations and SH to half floats (SH to 8 bits at level 2)";
            default -> null;
        };
    }

    public static Optional<SplatFormat> byId(String id) {
        String wanted = id.toLowerCase(Locale.ROOT);
        for (SplatFormat f : values()) {
            if (f.id.equals(wanted)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The format a file name asks for by its ending, if any ({@code .compressed.ply} before {@code .ply}). */
    public static Optional<SplatFormat> byFileName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(COMPRESSED_PLY.extension)) {
            return Optional.of(COMPRESSED_PLY);
        }
        if (lower.endsWith("meta.json") && !lower.endsWith("lod-meta.json")) {
            return Optional.of(SOG);
        }
        for (SplatFormat f : values()) {
            if (f != COMPRESSED_PLY && lower.endsWith(f.extension)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
