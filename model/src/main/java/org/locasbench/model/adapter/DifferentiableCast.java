package org.locasbench.model.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * A dtype conversion that autograd sees through, for the fp16 path (fp16 activations, fp32 norms, softmax, losses and
 * master weights).
 *
 * <p>DJL's {@code toType} runs under a no-grad guard in its JNI, so a gradient never crosses it. A cumulative product
 * over a new axis of size 1 with an output dtype is the identity with a cast, and PyTorch differentiates it (the
 * gradient comes back in the input's dtype), so it is used instead wherever a gradient must pass.
 */
public final class DifferentiableCast {
    private DifferentiableCast() {}

    public static NDArray to(NDArray x, DataType type) {
        if (x.getDataType() == type) {
            return x;
        }
        int last = x.getShape().dimension();
        return x.expandDims(last).cumProd(last, type).squeeze(last);
    }
}
