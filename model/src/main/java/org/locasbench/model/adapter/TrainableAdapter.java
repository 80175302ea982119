package org.locasbench.model.adapter;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A {@link LayerAdapter} with trainable parameters: a Locas memory or a LoRA adapter. The test-time-training loop only
 * sees this interface, so both methods share one loop, one optimizer and one protocol.
 */
public interface TrainableAdapter extends LayerAdapter, AutoCloseable {
    /** The arrays the optimizer updates (each with gradient attached); the frozen backbone is never among them. */
    List<NDArray> parameters();

    /** Switches training-only behaviour (dropout) on or off; scoring always runs with it off. */
    default void training(boolean on) {}

    /** Called after every optimizer step (e.g. a post-step projection onto the constraint set). */
    default void afterOptimizerStep() {}

    /** Number of trainable scalars. */
    default long parameterCount() {
        return parameters().stream().mapToLong(NDArray::size).sum();
    }

    @Override
    void close();
}
