package org.locasbench.harness.console;

import java.io.PrintStream;
import java.time.Duration;

/**
 * A one-line console progress bar for long runs: units done (windows, questions, sessions), tokens, throughput and ETA.
 * Redraws in place on a terminal; prints a plain line every ~10% otherwise (CI logs stay readable). Thread-safe:
 * workers on several devices may step one bar (MMLU's subjects of a variant).
 */
public final class ProgressBar {
    private final PrintStream out;
    private final String label;
    private final String unitName;
    private final long totalUnits;
    private final long totalTokens;
    private final boolean interactive;
    private final long startNanos = System.nanoTime();
    private long units;
    private long tokens;
    private int lastDecile = -1;

    /** A bar counting windows; the fraction done is by tokens when {@code totalTokens > 0}. */
    public ProgressBar(PrintStream out, String label, long totalUnits, long totalTokens) {
        this(out, label, "windows", totalUnits, totalTokens);
    }

    /**
     * A bar counting {@code unitName}; the fraction done (and so the ETA) is by tokens when {@code totalTokens > 0},
     * else by units (the tokens then show as a running count).
     */
    public ProgressBar(PrintStream out, String label, String unitName, long totalUnits, long totalTokens) {
        this.out = out;
        this.label = label;
        this.unitName = unitName;
        this.totalUnits = totalUnits;
        this.totalTokens = totalTokens;
        this.interactive = System.console() != null;
    }

    /** One unit done, that processed {@code tokensDone} tokens. */
    public void step(long tokensDone) {
        step(1, tokensDone);
    }

    /** {@code unitsDone} units done (a batch of questions, say), together {@code tokensDone} tokens. */
    public synchronized void step(long unitsDone, long tokensDone) {
        units += unitsDone;
        tokens += tokensDone;
        double fraction = totalTokens > 0 ? (double) tokens / totalTokens
                : totalUnits > 0 ? (double) units / totalUnits : 1;
        int decile = (int) (fraction * 10);
        if (!interactive && decile == lastDecile && units < totalUnits) {
            return;
        }
        lastDecile = decile;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double rate = tokens / Math.max(seconds, 1e-9);
        long eta = fraction > 0 ? (long) (seconds / fraction - seconds) : 0;
        int width = 30;
        int filled = (int) Math.round(Math.min(fraction, 1) * width);
        String tokenText = totalTokens > 0 ? tokens + "/" + totalTokens : String.valueOf(tokens);
        String line = String.format("%s [%s%s] %3.0f%% %d/%d %s, %s tokens, %.0f tok/s, ETA %s", label,
                "#".repeat(filled), ".".repeat(width - filled), fraction * 100, units, totalUnits, unitName, tokenText,
                rate, format(Duration.ofSeconds(eta)));
        out.print(interactive ? "\r" + line : line + System.lineSeparator());
        if (interactive && units >= totalUnits) {
            out.println();
        }
        out.flush();
    }

    /** Units stepped so far. */
    public synchronized long units() {
        return units;
    }

    /** Tokens stepped so far. */
    public synchronized long tokens() {
        return tokens;
    }

    private static String format(Duration d) {
        return d.toHours() > 0 ? String.format("%dh%02dm", d.toHours(), d.toMinutesPart())
                : String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }
}
