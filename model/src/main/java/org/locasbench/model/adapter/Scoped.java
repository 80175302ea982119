package org.locasbench.model.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Native-memory and autograd hygiene for DJL.
 *
 * <p>DJL puts an op's result in the manager of the array the op is called on. Adapter parameters live as long as the
 * adapter, so ops called on them would pile up there; {@link #use} gives a differentiable view owned by the forward's
 * scope instead, so everything a forward creates is freed with that scope.
 */
public final class Scoped {
    private Scoped() {}

    /** A differentiable view of {@code parameter} (gradients reach the original) owned by {@code like}'s manager. */
    public static NDArray use(NDArray parameter, NDArray like) {
        return use(parameter, like.getManager());
    }

    /**
     * A 0-d constant of {@code like}'s dtype, owned by {@code like}'s scope. Use it instead of DJL's {@code x.mul(Number)}
     * (and div/pow/maximum with a Number) inside code that is differentiated: DJL closes the scalar it makes right
     * after the op, and autograd, which saved it for the backward pass, then reads freed memory (random NaN/Inf
     * gradients). This one lives until the scope closes, after the backward pass.
     */
    public static NDArray scalar(NDArray like, double value) {
        NDManager scope = like.getManager();
        return switch (like.getDataType()) {
            case FLOAT64 -> scope.create(value);
            case FLOAT16 -> scope.create((float) value).toType(ai.djl.ndarray.types.DataType.FLOAT16, false);
            default -> scope.create((float) value);
        };
    }

    /** A differentiable view of {@code parameter} owned by {@code scope}. */
    public static NDArray use(NDArray parameter, NDManager scope) {
        // a reshape is a differentiable view (DJL's duplicate() would detach it from the autograd graph)
        NDArray view = parameter.reshape(parameter.getShape());
        view.attach(scope);
        return view;
    }
}
