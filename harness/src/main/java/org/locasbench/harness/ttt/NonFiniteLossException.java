package org.locasbench.harness.ttt;

/** Training produced NaN/Inf: reported with the window where it happened and the last finite loss. */
public final class NonFiniteLossException extends RuntimeException {
    private final int window;

    public NonFiniteLossException(int window, double loss, double lastFinite) {
        super("training loss became " + loss + " at window " + window + " (last finite loss " + lastFinite
                + "); lower the learning rate or check the input; no metrics were written for this run");
        this.window = window;
    }

    public NonFiniteLossException(int window, double loss, double lastFinite, String what) {
        super(what + " at window " + window + " (last finite loss " + lastFinite + "); lower the learning rate "
                + "or check the input; no metrics were written for this run");
        this.window = window;
    }

    public int window() {
        return window;
    }
}
