package org.locasbench.harness.ttt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.locasbench.model.engine.TorchOps;

/**
 * AdamW with PyTorch's semantics (decoupled weight decay, bias-corrected moments):
 * <pre>
 *   p <- p (1 - lr wd);  m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2
 *   p <- p - lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
 * </pre>
 * Updates happen in place; gradients are zeroed after each step (autograd accumulates them otherwise). The step
 * count t is kept per parameter (torch.optim keeps it in each parameter's state too): a parameter added later (the
 * rows an expandable memory grows) starts at t = 0 with zero moments while the others go on.
 */
public final class AdamW implements AutoCloseable {
    private final TrainingConfig config;
    private final NDManager state;
    private final Map<NDArray, AdamMoments> moments = new IdentityHashMap<>();
    private final Map<NDArray, Integer> steps = new IdentityHashMap<>();

    public AdamW(NDManager parent, TrainingConfig config) {
        this.config = config;
        this.state = parent.newSubManager();
    }

    /**
     * One update of every parameter. Each is one native call (PyTorch ops in C++, scalars passed by value, so no
     * per-op JNI overhead and no host-to-device copies): DJL's {@code adamUpdate} computes
     * {@code p -= lr' m / (sqrt(v) + eps')}, which is torch.optim.AdamW's
     * {@code p -= lr / (1-b1^t) * m / (sqrt(v) / sqrt(1-b2^t) + eps)} for {@code lr' = lr sqrt(1-b2^t) / (1-b1^t)} and
     * {@code eps' = eps sqrt(1-b2^t)}. Gradients are zeroed afterwards (NaN-safe, in place). The native call takes
     * fp32 hyper-parameters, so {@code 1 - b2} is that of {@code (float) b2} (for 0.999: 1.3e-5 relatively off).
     */
    public void step(List<NDArray> parameters) {
        step(parameters, 1.0);
    }

    /** {@link #step(List)} at {@code lrScale} times the configured learning rate (a schedule's multiplier). */
    public void step(List<NDArray> parameters, double lrScale) {
        double rate = config.learningRate() * lrScale;
        float lr = (float) rate;
        try (NDManager scope = state.newSubManager()) {
            for (NDArray p : parameters) {
                AdamMoments m = moments(p);
                int t = steps.merge(p, 1, Integer::sum);
                double rootCorrection2 = Math.sqrt(1 - Math.pow(config.beta2(), t));
                float stepSize = (float) (rate * rootCorrection2 / (1 - Math.pow(config.beta1(), t)));
                float epsilon = (float) (config.epsilon() * rootCorrection2);
                // every getGradient() is a new handle in p's manager: take it once and let the scope free it
                NDArray g = p.getGradient();
                g.attach(scope);
                TorchOps.adamWUpdate(p, g, m.first(), m.second(), lr, stepSize, (float) config.weightDecay(),
                        (float) config.beta1(), (float) config.beta2(), epsilon);
                TorchOps.zeroGrad(p);
            }
        }
    }

    /** Updates {@code parameter} has had (its t); 0 for one never updated. */
    public int steps(NDArray parameter) {
        return steps.getOrDefault(parameter, 0);
    }

    /** Restores one parameter's step count from a checkpoint. */
    public void restoreSteps(NDArray parameter, int t) {
        steps.put(parameter, t);
    }

    /** Updates so far: the most any parameter has had (every parameter's count unless some were added later). */
    public int steps() {
        return steps.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** The moments of one parameter, created (zero) if it was never updated; for checkpointing. */
    public AdamMoments moments(NDArray parameter) {
        return moments.computeIfAbsent(parameter, k -> new AdamMoments(state.zeros(k.getShape(), k.getDataType()),
                state.zeros(k.getShape(), k.getDataType())));
    }

    /** Forgets every moment and the step count, as a newly made optimiser (Temp-LoRA's per-window AdamW). */
    public void reset() {
        moments.values().forEach(m -> {
            m.first().close();
            m.second().close();
        });
        moments.clear();
        steps.clear();
    }

    @Override
    public void close() {
        state.close();
    }
}
