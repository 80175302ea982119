package org.locasbench.harness.protocol;

/**
 * One step of a streaming protocol over a token sequence: the new tokens [start, end) are scored (and then trained on)
 * while [contextStart, start) are fed before them as unlabeled context.
 */
public record Window(int index, int contextStart, int start, int end) {
    public int newTokens() {
        return end - start;
    }

    /** Positions whose next-token NLL this window reports: every new token except position 0 of the sequence. */
    public int firstScored() {
        return Math.max(start, 1);
    }

    public int scoredTokens() {
        return end - firstScored();
    }
}
