package org.locasbench.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.locasbench.model.adapter.DifferentiableCast;
import org.locasbench.model.adapter.Scoped;
import org.locasbench.model.engine.FastPath;
import org.locasbench.model.engine.FusedOps;

/**
 * {@code y = w * x / sqrt(mean(x^2) + eps)} over the last axis. The statistic is always computed in fp32 or wider
 * (fp16 squares overflow); under fp16 only the [.., 1] RMS comes back to fp16 and divides x there, so no full-size
 * tensor is cast down. On the fast path ({@link FastPath.Lever#RMS_NORM}) it is {@code at::rms_norm}, one kernel with
 * fp32 statistics.
 */
public final class RmsNorm {
    private RmsNorm() {}

    public static NDArray apply(NDArray x, NDArray weight, float eps) {
        if (FastPath.on(FastPath.Lever.RMS_NORM, x.getDevice())) {
            return FusedOps.rmsNorm(x, weight, eps);
        }
        boolean half = x.getDataType() == DataType.FLOAT16;
        NDArray wide = half ? DifferentiableCast.to(x, DataType.FLOAT32) : x;
        NDArray meanSquare = wide.square().mean(new int[] {-1}, true);
        NDArray rms = meanSquare.add(Scoped.scalar(meanSquare, eps)).sqrt();
        return x.div(half ? DifferentiableCast.to(rms, DataType.FLOAT16) : rms).mul(weight);
    }
}
