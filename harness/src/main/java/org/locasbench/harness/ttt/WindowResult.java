package org.locasbench.harness.ttt;

/** What one window of the streaming protocol measured: NLL before training on it, and the training loss. */
public record WindowResult(int index, int start, int end, int scoredTokens, double nllSum, double trainLoss,
        double scoreSeconds, double trainSeconds) {
    public double meanNll() {
        return nllSum / scoredTokens;
    }
}
