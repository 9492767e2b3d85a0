package dev.vsa.cli.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vsa.core.validate.Issue;

import java.util.List;

/**
 * The outcome of one file of a batch, as in the JSON report.
 *
 * @param input    the input path as found
 * @param output   the output path (null if none was decided)
 * @param status   ok, invalid, failed or skipped
 * @param format   the input's detected format id, or null
 * @param splats   splats converted, or null
 * @param bytesIn  input size
 * @param bytesOut output size, or null
 * @param seconds  wall time spent on the file
 * @param issues   validation issues (for invalid files, and warnings with --validate)
 * @param error    one-line error for invalid (parse error) and failed files, else null
 * @param code     for invalid and failed files, the stable code: the parse error's or first issue's code,
 *                 {@code IO_ERROR}, {@code UNSUPPORTED} or {@code INTERNAL}; else null
 * @param losses   what the conversion dropped or rounded (as {@code vsa convert --json}'s), null if nothing
 * @param removed  splats the filters (--filter, -t filter/box/sphere/decimate/filter-nan) removed, null without them
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileResult(String input, String output, Status status, String format, Long splats, long bytesIn,
                         Long bytesOut, double seconds, List<Issue> issues, String error,
                         String code, List<String> losses, Long removed) {
    /** A result without a removed count. */
    public FileResult(String input, String output, Status status, String format, Long splats, long bytesIn,
                      Long bytesOut, double seconds, List<Issue> issues, String error, String code, List<String> losses) {
        this(input, output, status, format, splats, bytesIn, bytesOut, seconds, issues, error, code, losses, null);
    }

    /** A result without losses. */
    public FileResult(String input, String output, Status status, String format, Long splats, long bytesIn,
                      Long bytesOut, double seconds, List<Issue> issues, String error, String code) {
        this(input, output, status, format, splats, bytesIn, bytesOut, seconds, issues, error, code, null, null);
    }

    /** What became of a file. */
    public enum Status {
        /** Converted (and valid, with --validate). */
        ok,
        /** The input is invalid: validation failed or it could not be parsed. */
        invalid,
        /** Something else went wrong: I/O error, unsupported conversion. */
        failed,
        /** The output existed and --skip-existing was given. */
        skipped
    }
}
