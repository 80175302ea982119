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

    /**
     * Switches training-only behaviour (dropout) on for the forward passes of one optimiser step, whose random draws
     * {@code step} keys; scoring always runs with it off.
     */
    default void beginStep(TrainingStep step) {}

    /**
     * {@link #beginStep} for a step whose draws take the generator's next numbers instead of a key per draw: the
     * caller runs the step's forward inside {@code TorchOps.seeded(step.streamKey(), ...)} (eagerly, or as a CUDA
     * graph's replay: a capture records draws but may not reseed). Used on CUDA devices.
     */
    default void beginStreamStep(TrainingStep step) {
        beginStep(step);
    }

    /**
     * Whether a training step's forward computes exactly what scoring computes (no dropout or other training-only
     * randomness), so the window's score can be read off the first step's forward instead of a pass of its own.
     */
    default boolean trainsOnTheScoringForward() {
        return true;
    }

    /** Switches training-only behaviour off again. */
    default void endTraining() {}

    /** Called after every optimizer step (e.g. a post-step projection onto the constraint set). */
    default void afterOptimizerStep() {}

    /** Number of trainable scalars. */
    default long parameterCount() {
        return parameters().stream().mapToLong(NDArray::size).sum();
    }

    @Override
    void close();
}
