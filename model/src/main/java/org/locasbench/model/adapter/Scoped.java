package org.locasbench.model.adapter;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Native-memory and autograd hygiene for DJL.
 *
 * <p>DJL puts an op's result in the manager of the array the op is called on. Adapter parameters live as long as the
 * adapter, so ops called on them would pile up there; {@link #use} gives a differentiable view owned by the forward's
 * scope instead, so everything a forward creates is freed with that scope. {@link #scalar} gives shared constants.
 */
public final class Scoped {
    private Scoped() {}

    /** A differentiable view of {@code parameter} (gradients reach the original) owned by {@code like}'s manager. */
    public static NDArray use(NDArray parameter, NDArray like) {
        return use(parameter, like.getManager());
    }

    /**
     * A 0-d constant of {@code like}'s dtype on {@code like}'s device. Use it instead of DJL's {@code x.mul(Number)}
     * (and add/div/pow/maximum with a Number) in the forward and training paths, for two reasons. DJL closes the scalar
     * it makes right after the op, and autograd, which saved it for the backward pass, then reads freed memory (random
     * NaN/Inf gradients). And on a GPU every such scalar is a blocking host-to-device copy that drains the stream. These
     * constants are made once per (device, dtype, value), never freed and never written, so any thread may share them.
     * Keep the values a bounded set (hyper-parameters, not per-step numbers).
     */
    public static NDArray scalar(NDArray like, double value) {
        DataType type = switch (like.getDataType()) {
            case FLOAT64, FLOAT16 -> like.getDataType();
            default -> DataType.FLOAT32;
        };
        return CONSTANTS.computeIfAbsent(new ConstantKey(like.getDevice(), type, value, false), Scoped::constant);
    }

    /**
     * A shared zero of shape [1] and dtype {@code type} on {@code device}: {@code x + it} widens x to {@code type} by
     * type promotion (a 0-d constant would not promote). Made once, like {@link #scalar}.
     */
    public static NDArray promotingZero(Device device, DataType type) {
        return CONSTANTS.computeIfAbsent(new ConstantKey(device, type, 0, true), Scoped::constant);
    }

    private record ConstantKey(Device device, DataType type, double value, boolean vector) {}

    private static final Map<ConstantKey, NDArray> CONSTANTS = new ConcurrentHashMap<>();
    private static final Map<Device, NDManager> CONSTANT_HOMES = new ConcurrentHashMap<>();

    private static NDArray constant(ConstantKey key) {
        NDManager home = CONSTANT_HOMES.computeIfAbsent(key.device(), NDManager::newBaseManager);
        Shape shape = key.vector() ? new Shape(1) : new Shape();
        if (key.type() == DataType.FLOAT64) {
            return home.create(new double[] {key.value()}, shape);
        }
        NDArray fp32 = home.create(new float[] {(float) key.value()}, shape);
        if (key.type() == DataType.FLOAT32) {
            return fp32;
        }
        NDArray converted = fp32.toType(key.type(), false);
        fp32.close();
        return converted;
    }

    /** A differentiable view of {@code parameter} owned by {@code scope}. */
    public static NDArray use(NDArray parameter, NDManager scope) {
        // a reshape is a differentiable view (DJL's duplicate() would detach it from the autograd graph)
        NDArray view = parameter.reshape(parameter.getShape());
        view.attach(scope);
        return view;
    }
}
