package org.locasbench.model.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * DJL puts an op's result in the manager of the array the op is called on. Adapter parameters live as long as the
 * adapter, so ops called on them would pile up there; {@link #use} gives a differentiable view owned by the forward's
 * scope instead, so everything a forward creates is freed with that scope.
 */
public final class Scoped {
    private Scoped() {}

    /** A differentiable view of {@code parameter} (gradients reach the original) owned by {@code like}'s manager. */
    public static NDArray use(NDArray parameter, NDArray like) {
        return use(parameter, like.getManager());
    }

    /** A differentiable view of {@code parameter} owned by {@code scope}. */
    public static NDArray use(NDArray parameter, NDManager scope) {
        // a reshape is a differentiable view (DJL's duplicate() would detach it from the autograd graph)
        NDArray view = parameter.reshape(parameter.getShape());
        view.attach(scope);
        return view;
    }
}
