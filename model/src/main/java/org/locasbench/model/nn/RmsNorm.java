package org.locasbench.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.locasbench.model.adapter.DifferentiableCast;
import org.locasbench.model.adapter.Scoped;

/**
 * {@code y = w * x / sqrt(mean(x^2) + eps)} over the last axis. The statistic is always computed in fp32 or wider
 * (fp16 squares overflow); under fp16 only the [.., 1] RMS comes back to fp16 and divides x there, so no full-size
 * tensor is cast down.
 */
public final class RmsNorm {
    private RmsNorm() {}

    public static NDArray apply(NDArray x, NDArray weight, float eps) {
        boolean half = x.getDataType() == DataType.FLOAT16;
        NDArray wide = half ? DifferentiableCast.to(x, DataType.FLOAT32) : x;
        NDArray meanSquare = wide.square().mean(new int[] {-1}, true);
        NDArray rms = meanSquare.add(Scoped.scalar(meanSquare, eps)).sqrt();
        return x.div(half ? DifferentiableCast.to(rms, DataType.FLOAT16) : rms).mul(weight);
    }
}
