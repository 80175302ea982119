package org.locasbench.harness.ttt;

import java.util.Arrays;

/**
 * What one window of the streaming protocol measured: NLL before training on it, and the training loss.
 * {@code tokenNll} holds the NLL of each scored token in stream order (the window's last {@code scoredTokens}
 * positions, ending at {@code end - 1}), so a PPL mark inside the window can be split exactly.
 *
 * @param sampledTokens tokens GRPO sampled while training on the window (0 for the other losses)
 * @param parameters the adapter's trainable scalars after the window (an expandable memory grows; 0 when frozen)
 */
public record WindowResult(int index, int start, int end, int scoredTokens, double nllSum, double trainLoss,
        double scoreSeconds, double trainSeconds, float[] tokenNll, int sampledTokens, long parameters) {
    public WindowResult {
        if (tokenNll != null && tokenNll.length != scoredTokens) {
            throw new IllegalArgumentException("window " + index + ": " + tokenNll.length + " token NLLs for "
                    + scoredTokens + " scored tokens");
        }
    }

    public double meanNll() {
        return nllSum / scoredTokens;
    }

    /** Stream position of the first scored token. */
    public int firstScored() {
        return end - scoredTokens;
    }

    /** Sum and count of this window's scored tokens at positions before {@code mark}: [sum, n]. */
    public double[] before(int mark) {
        if (mark >= end) {
            return new double[] {nllSum, scoredTokens};
        }
        int n = Math.max(0, mark - firstScored());
        if (n == 0) {
            return new double[] {0, 0};
        }
        if (tokenNll == null) {
            throw new IllegalStateException("window " + index + " has no per-token NLL to split at " + mark);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += tokenNll[i];
        }
        return new double[] {sum, n};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowResult w && index == w.index && start == w.start && end == w.end
                && scoredTokens == w.scoredTokens && Double.compare(nllSum, w.nllSum) == 0
                && Double.compare(trainLoss, w.trainLoss) == 0 && Double.compare(scoreSeconds, w.scoreSeconds) == 0
                && Double.compare(trainSeconds, w.trainSeconds) == 0 && Arrays.equals(tokenNll, w.tokenNll)
                && sampledTokens == w.sampledTokens && parameters == w.parameters;
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Objects.hash(index, start, end, scoredTokens, nllSum, trainLoss, scoreSeconds,
                trainSeconds, sampledTokens, parameters) + Arrays.hashCode(tokenNll);
    }

    @Override
    public String toString() {
        return "WindowResult[index=" + index + ", start=" + start + ", end=" + end + ", scoredTokens=" + scoredTokens
                + ", nllSum=" + nllSum + ", trainLoss=" + trainLoss + "]";
    }
}
