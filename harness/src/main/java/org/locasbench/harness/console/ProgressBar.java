package org.locasbench.harness.console;

import java.io.PrintStream;
import java.time.Duration;

/**
 * A one-line console progress bar for long runs: units done (windows), tokens, throughput and ETA. Redraws in place on a
 * terminal; prints a plain line every ~10% otherwise (CI logs stay readable).
 */
public final class ProgressBar {
    private final PrintStream out;
    private final String label;
    private final long totalUnits;
    private final long totalTokens;
    private final boolean interactive;
    private final long startNanos = System.nanoTime();
    private long units;
    private long tokens;
    private int lastDecile = -1;

    public ProgressBar(PrintStream out, String label, long totalUnits, long totalTokens) {
        this.out = out;
        this.label = label;
        this.totalUnits = totalUnits;
        this.totalTokens = totalTokens;
        this.interactive = System.console() != null;
    }

    public void step(long tokensDone) {
        units++;
        tokens += tokensDone;
        double fraction = totalTokens > 0 ? (double) tokens / totalTokens : (double) units / totalUnits;
        int decile = (int) (fraction * 10);
        if (!interactive && decile == lastDecile && units < totalUnits) {
            return;
        }
        lastDecile = decile;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double rate = tokens / Math.max(seconds, 1e-9);
        long eta = fraction > 0 ? (long) (seconds / fraction - seconds) : 0;
        int width = 30;
        int filled = (int) Math.round(fraction * width);
        String line = String.format("%s [%s%s] %3.0f%% %d/%d windows, %d/%d tokens, %.0f tok/s, ETA %s", label,
                "#".repeat(filled), ".".repeat(width - filled), fraction * 100, units, totalUnits, tokens, totalTokens,
                rate, format(Duration.ofSeconds(eta)));
        out.print(interactive ? "\r" + line : line + System.lineSeparator());
        if (interactive && units >= totalUnits) {
            out.println();
        }
        out.flush();
    }

    private static String format(Duration d) {
        return d.toHours() > 0 ? String.format("%dh%02dm", d.toHours(), d.toMinutesPart())
                : String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }
}
