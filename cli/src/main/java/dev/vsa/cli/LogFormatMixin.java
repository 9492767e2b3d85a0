package dev.vsa.cli;

import picocli.CommandLine.Option;

/** {@code --log-format}: the log line format of the long-running commands ({@code serve}, {@code worker}). */
public final class LogFormatMixin {
    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "Log lines on stderr: text or json (one object a line, with request_id and job_id; "
                    + "default $VSA_LOG_FORMAT, else text).")
    String logFormat;

    /**
     * Applies the format given (see {@link LogFormat#apply}).
     *
     * @throws ExitException with {@link ExitCodes#USAGE} for a value other than text or json
     */
    public void apply() {
        try {
            LogFormat.apply(logFormat);
        } catch (IllegalArgumentException e) {
            throw new ExitException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }
}
