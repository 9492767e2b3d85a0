package dev.vsa.cli;

import dev.vsa.core.splat.WriteOptions;
import picocli.CommandLine.Option;

/** {@code --spz-version} and {@code --ksplat-level}: how a command that writes splat files encodes them. */
public final class WriteMixin {
    @Option(names = "--spz-version", paramLabel = "3|4", defaultValue = "4",
            description = "SPZ version to write: 4 (zstd, smaller, newer readers) or 3 (gzip, read by every SPZ "
                    + "reader). Default: ${DEFAULT-VALUE}.")
    int spzVersion;

    @Option(names = "--ksplat-level", paramLabel = "0|1|2", defaultValue = "1",
            description = "GaussianSplats3D .ksplat compression level: 0 (float32, 44 bytes a splat + SH), 1 (positions "
                    + "as 16-bit offsets in 5-unit buckets, the rest half floats: 24 + SH), 2 (as 1 with SH in 8 bits). "
                    + "SH is kept up to degree 2 (the format's maximum). Default: ${DEFAULT-VALUE}.")
    int ksplatLevel;

    /** The options given, checked. */
    public WriteOptions options() {
        if (spzVersion != 3 && spzVersion != 4) {
            throw new IllegalArgumentException("--spz-version must be 3 or 4, was " + spzVersion);
        }
        if (ksplatLevel < 0 || ksplatLevel > 2) {
            throw new IllegalArgumentException("--ksplat-level must be 0, 1 or 2, was " + ksplatLevel);
        }
        return new WriteOptions(spzVersion).withKsplatLevel(ksplatLevel);
    }
}
