package dev.vsa.cli.batch;

import java.util.List;

/**
 * The whole batch, as written by {@code --report-json} and printed by {@code --json}.
 *
 * @param tool      always {@code vsa batch}
 * @param version   vsa's version
 * @param startedAt ISO-8601 UTC start time
 * @param seconds   wall time of the batch
 * @param to        target format id
 * @param jobs      parallel jobs used
 * @param summary   counts and sizes
 * @param files     one entry per input file, in input order
 */
public record BatchReport(String tool, String version, String startedAt, double seconds, String to, int jobs,
                          Summary summary, List<FileResult> files) {
    /** Totals over all files. */
    public record Summary(int total, int ok, int invalid, int failed, int skipped, long bytesIn, long bytesOut) {
    }
}
