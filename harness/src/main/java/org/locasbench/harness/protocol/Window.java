package org.locasbench.harness.protocol;

/**
 * One step of a streaming protocol over a token sequence: the new tokens [start, end) are scored (and then trained on)
 * while [contextStart, start) are fed before them as unlabeled context.
 */
public record Window(int index, int contextStart, int start, int end) {
    /**
     * A window's shape as a forward sees it: the tokens fed and the offset of the first scored one (what a CUDA graph
     * is captured for, and what the untimed warm-up runs once).
     */
    public record Geometry(int length, int firstScored) {
        /** A window of this shape at the start of a stream: {@code firstScored} earlier tokens, then the new ones. */
        public Window atStart() {
            return new Window(0, 0, firstScored <= 1 ? 0 : firstScored, length);
        }
    }

    public Geometry geometry() {
        return new Geometry(end - contextStart, firstScored() - contextStart);
    }

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
