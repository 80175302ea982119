package org.locasbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.locasbench.model.engine.TorchOps;

/** Next-token negative log-likelihood from logits. */
public final class Nll {
    private Nll() {}

    /** -log p(ids[t+1] | ids[..t]) for logits [batch, T, vocab] and ids [batch, T]: returns [batch, T-1] (fp32). */
    public static NDArray perToken(NDArray logits, NDArray ids) {
        long t = ids.getShape().get(1);
        return ofTargets(logits.get(":, :" + (t - 1) + ", :"), ids.get(":, 1:"));
    }

    /**
     * -log p(targets[.., t] | logits[.., t, :]) for logits [batch, T, vocab] and targets [batch, T] (already shifted).
     * fp16 logits go through an fp32 log-softmax (PyTorch's dtype argument: one kernel, differentiable).
     */
    public static NDArray ofTargets(NDArray logits, NDArray targets) {
        return logSoftmax(logits).gather(targets.expandDims(-1), -1).squeeze(-1).neg();
    }

    /**
     * Log-softmax over the last axis; fp16 logits go through an fp32 log-softmax (PyTorch's dtype argument: one kernel,
     * differentiable), fp32 and fp64 stay as they are.
     */
    public static NDArray logSoftmax(NDArray logits) {
        return logits.getDataType() == DataType.FLOAT16 ? TorchOps.logSoftmaxFp32(logits, -1) : logits.logSoftmax(-1);
    }
}
