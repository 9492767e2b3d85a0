package dev.vsa.cli.output;

import dev.vsa.core.progress.ProgressListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.Console;
import java.lang.reflect.Method;

/**
 * A progress bar on stderr, driven as a core {@link ProgressListener}. Drawn only when the terminal is
 * interactive and the command was not asked for {@code --quiet} or {@code --json}; otherwise every call is a
 * no-op, so commands use it unconditionally:
 * <pre>{@code
 * try (Progress p = Progress.start("convert", total, !quiet.quiet() && !json.json())) {
 *     Splats.convert(in, out, options, p);
 * }
 * }</pre>
 * Thread-safe: batch workers may report into one bar.
 */
public final class Progress implements ProgressListener, AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /**
     * Starts a bar.
     *
     * @param task  the label
     * @param total units in all, or -1 if unknown
     * @param wanted false for {@code --quiet}/{@code --json}; the bar is also off when stderr is no terminal
     */
    public static Progress start(String task, long total, boolean wanted) {
        if (!wanted || !interactive()) {
            return new Progress(null);
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .clearDisplayOnFinish()
                .build();
        return new Progress(bar);
    }

    /** A bar that draws nothing. */
    public static Progress none() {
        return new Progress(null);
    }

    /**
     * Whether this JVM talks to an interactive terminal. Before Java 22 {@link System#console()} is null unless
     * stdin and stdout are a terminal; from 22 on it exists anyway and {@code Console.isTerminal()} tells.
     */
    public static boolean interactive() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(c);
        } catch (NoSuchMethodException e) {
            return true; // Java 21: a non-null console is a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    @Override
    public void progress(long done, long total) {
        if (bar == null) {
            return;
        }
        synchronized (bar) {
            if (total >= 0 && bar.getMax() != total) {
                bar.maxHint(total);
            }
            bar.stepTo(done);
        }
    }

    /** Adds {@code n} units (for callers that count themselves, e.g. files done in a batch). */
    public void step(long n) {
        if (bar != null) {
            bar.stepBy(n);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
