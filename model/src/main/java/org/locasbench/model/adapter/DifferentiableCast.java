package org.locasbench.model.adapter;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

    private record ZeroKey(Device device, DataType type) {}

    private static final Map<ZeroKey, NDArray> ZEROS = new ConcurrentHashMap<>();
    private static final Map<Device, NDManager> HOMES = new ConcurrentHashMap<>();

    public static NDArray to(NDArray x, DataType type) {
        if (x.getDataType() == type) {
            return x;
        }
        if (type.getNumOfBytes() > x.getDataType().getNumOfBytes()) {
            return x.add(ZEROS.computeIfAbsent(new ZeroKey(x.getDevice(), type), k -> HOMES
                    .computeIfAbsent(k.device(), NDManager::newBaseManager).zeros(new Shape(1), k.type())));
        }
        return x.getManager().zeros(x.getShape(), type).addi(x);
    }
}
