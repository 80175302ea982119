package org.locasbench.harness.ttt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.locasbench.model.engine.FastPath;
import org.locasbench.model.engine.FusedOps;
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
    /** The fused update's device-side step count and learning rate (0-d fp32), and the values they hold now. */
    private NDArray deviceStep;
    private NDArray deviceLr;
    private float deviceStepValue = Float.NaN;
    private float deviceLrValue = Float.NaN;

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
        if (!parameters.isEmpty() && fusedApplies(parameters)) {
            prepareFused(parameters, lrScale);
            fusedUpdate(parameters, null);
            fusedDone(parameters, false);
            return;
        }
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

    /**
     * Whether the fused update ({@link FastPath.Lever#FUSED_ADAMW}) serves these parameters: the lever is on for their
     * device and all have had the same number of updates (the kernel reads one shared step count).
     */
    public boolean fusedApplies(List<NDArray> parameters) {
        return FastPath.on(FastPath.Lever.FUSED_ADAMW, parameters.get(0).getDevice()) && uniformSteps(parameters);
    }

    /** Whether every parameter has had the same number of updates (what one shared device step count can stand for). */
    public boolean uniformSteps(List<NDArray> parameters) {
        int t = steps(parameters.get(0));
        return parameters.stream().allMatch(p -> steps(p) == t);
    }

    /**
     * Host side of a fused update, before {@link #fusedUpdate} runs (or a graph holding it is replayed): the device step
     * count and learning rate are set to this step's (a copy only when they changed).
     */
    public void prepareFused(List<NDArray> parameters, double lrScale) {
        NDArray first = parameters.get(0);
        if (deviceStep == null) {
            deviceStep = state.zeros(new ai.djl.ndarray.types.Shape(), ai.djl.ndarray.types.DataType.FLOAT32);
            deviceLr = state.zeros(new ai.djl.ndarray.types.Shape(), ai.djl.ndarray.types.DataType.FLOAT32);
        }
        float t = steps(first);
        if (t != deviceStepValue) {
            FusedOps.fill(deviceStep, t); // in place: a graph holding the update reads this storage
            deviceStepValue = t;
        }
        float lr = (float) (config.learningRate() * lrScale);
        if (lr != deviceLrValue) {
            FusedOps.fill(deviceLr, lr);
            deviceLrValue = lr;
        }
        for (NDArray p : parameters) {
            moments(p);
        }
    }

    /**
     * The fused update itself, all on the device (a CUDA graph may hold it): every parameter from its gradient,
     * gradients zeroed; with a non-zero {@code foundInf} (0-d float on the device, or null) nothing is updated.
     */
    public void fusedUpdate(List<NDArray> parameters, NDArray foundInf) {
        List<NDArray> first = new java.util.ArrayList<>(parameters.size());
        List<NDArray> second = new java.util.ArrayList<>(parameters.size());
        for (NDArray p : parameters) {
            AdamMoments m = moments.get(p);
            first.add(m.first());
            second.add(m.second());
        }
        FusedOps.adamW(parameters, first, second, deviceStep, deviceLr, config.beta1(), config.beta2(),
                config.weightDecay(), config.epsilon(), foundInf);
    }

    /** Host side after a fused update ran: the step counts follow the device's (unless the update was skipped). */
    public void fusedDone(List<NDArray> parameters, boolean skipped) {
        if (skipped) {
            return;
        }
        for (NDArray p : parameters) {
            steps.merge(p, 1, Integer::sum);
        }
        deviceStepValue += 1;
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
        // zeroed in place, not replaced: a CUDA graph that holds the fused update keeps reading these same arrays
        moments.values().forEach(m -> {
            TorchOps.zeroInPlace(m.first());
            TorchOps.zeroInPlace(m.second());
        });
        steps.clear();
    }

    @Override
    public void close() {
        state.close();
    }
}
