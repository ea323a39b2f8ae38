package io.azt3knet.mail.examples.cli;

import java.io.PrintWriter;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jspecify.annotations.Nullable;

/**
 * Progress of a long operation on standard error: a progress bar on a terminal, periodic plain lines (every
 * tenth of the work or every 5 seconds, whichever comes first) when output is redirected. Thread-safe.
 */
final class Progress implements AutoCloseable {

    private static final long PLAIN_INTERVAL_NANOS = Duration.ofSeconds(5).toNanos();

    private final String task;
    private final int total;
    private final PrintWriter err;
    private final @Nullable ProgressBar bar;
    private long lastLine = System.nanoTime();
    private int lastReported;

    private Progress(String task, int total, PrintWriter err, boolean terminal) {
        this.task = task;
        this.total = total;
        this.err = err;
        this.bar = terminal ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(200).build() : null;
    }

    /**
     * @param task what is going on
     * @param total how many steps
     * @param err where plain lines go when not on a terminal
     * @param terminalAllowed whether a progress bar may be drawn (false in tests)
     * @return progress reporting
     */
    static Progress start(String task, int total, PrintWriter err, boolean terminalAllowed) {
        return new Progress(task, total, err, terminalAllowed && System.console() != null);
    }

    /** @param done how many steps are done */
    synchronized void update(int done) {
        if (bar != null) {
            bar.stepTo(done);
            return;
        }
        long now = System.nanoTime();
        boolean tenth = total >= 10 && done - lastReported >= total / 10;
        if (done == total || tenth || now - lastLine >= PLAIN_INTERVAL_NANOS) {
            err.printf("%s: %d/%d%n", task, done, total);
            err.flush();
            lastLine = now;
            lastReported = done;
        }
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
