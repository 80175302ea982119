package org.locasbench.model;

import ai.djl.ndarray.NDArray;

/** Next-token negative log-likelihood from logits. */
public final class Nll {
    private Nll() {}

    /** -log p(ids[t+1] | ids[..t]) for logits [batch, T, vocab] and ids [batch, T]: returns [batch, T-1] (fp32). */
    public static NDArray perToken(NDArray logits, NDArray ids) {
        long t = ids.getShape().get(1);
        return ofTargets(logits.get(":, :" + (t - 1) + ", :"), ids.get(":, 1:"));
    }

    /** -log p(targets[.., t] | logits[.., t, :]) for logits [batch, T, vocab] and targets [batch, T] (already shifted). */
    public static NDArray ofTargets(NDArray logits, NDArray targets) {
        return logits.logSoftmax(-1).gather(targets.expandDims(-1), -1).squeeze(-1).neg();
    }
}
