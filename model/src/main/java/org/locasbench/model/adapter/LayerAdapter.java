package org.locasbench.model.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.core.Linear;

/**
 * The one hook through which test-time memories reach a frozen Qwen3: every projection of every layer is computed by
 * {@link #project}, and every MLP output passes through {@link #mlpOutput}. A LoRA adapter overrides the first
 * ({@code W x + s B A x}); a Locas sidecar the second ({@code mlp(a) + tau V~^T (silu(G~ a) * (K~ a))}).
 * The backbone never knows which one is attached.
 */
public interface LayerAdapter {
    /** The frozen model, nothing attached. */
    LayerAdapter NONE = new LayerAdapter() {};

    /**
     * Called once per forward pass, before layer 0, with the forward's scope and compute dtype: an adapter may prepare
     * tensors every layer uses there (Locas clips and casts all its layers' weights in a few batched ops instead of a
     * few ops per layer). Whatever it makes in {@code scope} is freed with the forward.
     */
    default void beginForward(NDManager scope, DataType computeType) {}

    /** {@code y = x W^T}; {@code weight} is [out, in] as Hugging Face stores it. */
    default NDArray project(int layer, Projection projection, NDArray x, NDArray weight) {
        return linear(x, weight);
    }

    /**
     * Called with the normed MLP input {@code a} [batch, tokens, hidden] and the frozen MLP's output; returns what the
     * residual stream receives.
     */
    default NDArray mlpOutput(int layer, NDArray mlpInput, NDArray frozenOutput) {
        return frozenOutput;
    }

    static NDArray linear(NDArray x, NDArray weight) {
        return Linear.linear(x, weight).singletonOrThrow();
    }
}
