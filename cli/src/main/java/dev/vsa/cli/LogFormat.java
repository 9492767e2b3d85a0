package dev.vsa.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * The log line format of the long-running commands: {@code text} (the default, one readable line) or {@code json}
 * (one JSON object a line: timestamp, level, logger, message, and {@code mdc} with {@code request_id} and
 * {@code job_id}, for a log pipeline). Logback's own JSON encoder.
 */
public final class LogFormat {
    private LogFormat() {
    }

    /**
     * Applies {@code format} ({@code text} or {@code json}; null = {@code $VSA_LOG_FORMAT}, else text).
     *
     * @throws IllegalArgumentException for another value
     */
    public static void apply(String format) {
        String f = format != null ? format : System.getenv().getOrDefault("VSA_LOG_FORMAT", "text");
        switch (f.trim().toLowerCase(Locale.ROOT)) {
            case "text" -> {
            }
            case "json" -> json();
            default -> throw new IllegalArgumentException("--log-format (VSA_LOG_FORMAT) must be text or json, was '" + f + "'");
        }
    }

    private static void json() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return; // another SLF4J binding on the class path (tests): leave its format alone
        }
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(ctx);
        // The line as a reader wants it: the formatted message, not the template and its arguments apart.
        encoder.setWithFormattedMessage(true);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithContext(false);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.start();
        ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
        out.setContext(ctx);
        out.setName("JSON");
        out.setTarget("System.err");
        out.setEncoder(encoder);
        out.start();
        root.addAppender(out);
    }
}
