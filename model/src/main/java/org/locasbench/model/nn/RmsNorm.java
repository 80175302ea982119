package org.locasbench.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.locasbench.model.adapter.DifferentiableCast;
import org.locasbench.model.adapter.Scoped;

/** {@code y = w * x / sqrt(mean(x^2) + eps)} over the last axis, computed in fp32 whatever the compute dtype. */
public final class RmsNorm {
    private RmsNorm() {}

    public static NDArray apply(NDArray x, NDArray weight, float eps) {
        DataType type = x.getDataType();
        NDArray x32 = type == DataType.FLOAT16 ? DifferentiableCast.to(x, DataType.FLOAT32) : x;
        NDArray meanSquare = x32.square().mean(new int[] {-1}, true);
        NDArray rms = meanSquare.add(Scoped.scalar(meanSquare, eps)).sqrt();
        NDArray normed = x32.div(rms);
        if (type == DataType.FLOAT16) {
            normed = DifferentiableCast.to(normed, DataType.FLOAT16);
        }
        return normed.mul(weight);
    }
}
