package org.locasbench.harness.ttt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.locasbench.model.adapter.Scoped;

/**
 * AdamW with PyTorch's semantics (decoupled weight decay, bias-corrected moments):
 * <pre>
 *   p <- p (1 - lr wd);  m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2
 *   p <- p - lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
 * </pre>
 * Updates happen in place; gradients are zeroed after each step (DJL accumulates them otherwise).
 */
public final class AdamW implements AutoCloseable {
    private final TrainingConfig config;
    private final NDManager state;
    private final Map<NDArray, NDArray[]> moments = new IdentityHashMap<>();
    private int step;

    public AdamW(NDManager parent, TrainingConfig config) {
        this.config = config;
        this.state = parent.newSubManager();
    }

    /**
     * One update of every parameter, as torch.optim.AdamW computes it ({@code denom = sqrt(v) / sqrt(1-b2^t) + eps},
     * {@code p -= lr / (1-b1^t) * m / denom}). Constants are device tensors made once; the two per-step factors are
     * the only host-to-device copies of a step, so a GPU stream is never drained inside it.
     */
    public void step(List<NDArray> parameters) {
        if (parameters.isEmpty()) {
            return;
        }
        step++;
        double lr = config.learningRate();
        double correction1 = 1 - Math.pow(config.beta1(), step);
        double correction2 = 1 - Math.pow(config.beta2(), step);
        try (NDManager stepScope = state.newSubManager()) {
            NDArray like = parameters.get(0);
            NDArray stepSize = perStep(stepScope, like, -lr / correction1);
            NDArray inverseRootCorrection2 = perStep(stepScope, like, 1 / Math.sqrt(correction2));
            NDArray beta1 = Scoped.scalar(like, config.beta1());
            NDArray oneMinusBeta1 = Scoped.scalar(like, 1 - config.beta1());
            NDArray beta2 = Scoped.scalar(like, config.beta2());
            NDArray oneMinusBeta2 = Scoped.scalar(like, 1 - config.beta2());
            NDArray epsilon = Scoped.scalar(like, config.epsilon());
            NDArray decay = Scoped.scalar(like, 1 - lr * config.weightDecay());
            for (NDArray p : parameters) {
                NDArray[] mv = moments(p);
                try (NDManager scope = state.newSubManager()) {
                    // every getGradient() is a new handle in p's manager: take it once and let the scope free it
                    NDArray g = p.getGradient();
                    g.attach(scope);
                    if (config.weightDecay() > 0) {
                        p.muli(decay);
                    }
                    mv[0].muli(beta1).addi(g.mul(oneMinusBeta1));
                    mv[1].muli(beta2).addi(g.square().mul(oneMinusBeta2));
                    NDArray m = Scoped.use(mv[0], scope);
                    NDArray denominator = Scoped.use(mv[1], scope).sqrt().mul(inverseRootCorrection2).add(epsilon);
                    p.addi(m.div(denominator).mul(stepSize));
                    g.subi(g); // zero in place (+0), the next backward starts from nothing
                }
            }
        }
    }

    private static NDArray perStep(NDManager scope, NDArray like, double value) {
        NDArray scalar = like.getDataType() == ai.djl.ndarray.types.DataType.FLOAT64 ? scope.create(value)
                : scope.create((float) value);
        return scalar.toType(like.getDataType(), false);
    }

    public int steps() {
        return step;
    }

    /** The moment buffers (m, v) of one parameter, created (zero) if it was never updated; for checkpointing. */
    public NDArray[] moments(NDArray parameter) {
        return moments.computeIfAbsent(parameter, k -> new NDArray[] {state.zeros(k.getShape(), k.getDataType()),
                state.zeros(k.getShape(), k.getDataType())});
    }

    /** Restores the step count of a checkpoint (bias corrections depend on it). */
    public void restoreSteps(int steps) {
        this.step = steps;
    }

    @Override
    public void close() {
        state.close();
    }
}
