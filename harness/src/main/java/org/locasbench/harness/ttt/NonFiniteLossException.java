package org.locasbench.harness.ttt;

/**
 * Training produced NaN/Inf: reported with the window where it happened, the last finite loss and what to change. The
 * command line prints it as one {@code error:} line with exit status 2 (the fix is an option, like bad input).
 */
public final class NonFiniteLossException extends RuntimeException {
    private static final String LOWER_LR = "; lower the learning rate (--lr; run: --set locas.lr=X or lora.lr=X)";
    private static final String NO_METRICS = "; no metrics were written for this run";

    private final int window;

    public NonFiniteLossException(int window, double loss, double lastFinite) {
        super("training loss became " + loss + " at window " + window + last(lastFinite)
                + LOWER_LR + " or skip such windows' updates (--on-non-finite skip_window; run: --set reliability.onNonFinite=skip_window)"
                + NO_METRICS);
        this.window = window;
    }

    public NonFiniteLossException(int window, double loss, double lastFinite, String what) {
        super(what + " at window " + window + last(lastFinite) + LOWER_LR + NO_METRICS);
        this.window = window;
    }

    private static String last(double lastFinite) {
        return Double.isNaN(lastFinite) ? " (no finite loss before it)" : " (last finite loss " + lastFinite + ")";
    }

    public int window() {
        return window;
    }
}
