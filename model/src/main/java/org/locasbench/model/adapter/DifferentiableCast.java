package org.locasbench.model.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * A dtype conversion that autograd sees through, for the fp16 path (fp16 activations, fp32 statistics, losses and
 * master weights).
 *
 * <p>DJL's {@code toType} runs under a no-grad guard in its JNI, so a gradient never crosses it. Widening uses type
 * promotion instead: {@code x + zeros[1]} of the wider dtype is one elementwise kernel. Narrowing adds {@code x} in
 * place into zeros of the narrower dtype. PyTorch differentiates both and hands the gradient back in {@code x}'s dtype.
 */
public final class DifferentiableCast {
    private DifferentiableCast() {}

    public static NDArray to(NDArray x, DataType type) {
        if (x.getDataType() == type) {
            return x;
        }
        if (type.getNumOfBytes() > x.getDataType().getNumOfBytes()) {
            return x.add(Scoped.promotingZero(x.getDevice(), type));
        }
        return x.getManager().zeros(x.getShape(), type).addi(x);
    }
}
