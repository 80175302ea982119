package org.locasbench.model;

import ai.djl.ndarray.NDArray;

/** Next-token negative log-likelihood from logits. */
public final class Nll {
    private Nll() {}

    /** -log p(ids[t+1] | ids[..t]) for logits [batch, T, vocab] and ids [batch, T]: returns [batch, T-1] (fp32). */
    public static NDArray perToken(NDArray logits, NDArray ids) {
        long t = ids.getShape().get(1);
        NDArray logProbs = logits.get(":, :" + (t - 1) + ", :").logSoftmax(-1);
        NDArray targets = ids.get(":, 1:").expandDims(-1);
        return logProbs.gather(targets, -1).squeeze(-1).neg();
    }
}
