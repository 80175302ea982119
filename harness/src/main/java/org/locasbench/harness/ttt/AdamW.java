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

    public void step(List<NDArray> parameters) {
        step++;
        double lr = config.learningRate();
        double correction1 = 1 - Math.pow(config.beta1(), step);
        double correction2 = 1 - Math.pow(config.beta2(), step);
        for (NDArray p : parameters) {
            NDArray[] mv = moments.computeIfAbsent(p, k -> new NDArray[] {state.zeros(k.getShape(), k.getDataType()),
                    state.zeros(k.getShape(), k.getDataType())});
            try (NDManager scope = state.newSubManager()) {
                // every getGradient() is a new handle in p's manager: take it once and let the scope free it
                NDArray grad = p.getGradient();
                grad.attach(scope);
                NDArray g = grad;
                if (config.weightDecay() > 0) {
                    p.muli(1 - lr * config.weightDecay());
                }
                mv[0].muli(config.beta1()).addi(g.mul(1 - config.beta1()));
                mv[1].muli(config.beta2()).addi(g.square().mul(1 - config.beta2()));
                NDArray m = Scoped.use(mv[0], scope);
                NDArray v = Scoped.use(mv[1], scope);
                NDArray update = m.div(correction1).div(v.div(correction2).sqrt().add(config.epsilon())).mul(lr);
                p.subi(update);
                grad.subi(grad); // zero in place (+0), the next backward starts from nothing
            }
        }
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
