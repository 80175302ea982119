package org.locasbench.model.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The libtorch operations this project needs and DJL 0.35.1's public API does not offer, reached through DJL's
 * PyTorch internals ({@code JniUtils}, {@code PtNDArray}); the only class that imports them. Arrays must be PyTorch
 * engine arrays.
 */
public final class TorchOps {
    /** Guards libtorch's one global generator: held from reseeding it to launching the draw. */
    private static final Object GENERATOR = new Object();

    private TorchOps() {}

    /**
     * {@code log_softmax(x, dim, dtype=float32)}: fp16 in, fp32 out, one differentiable kernel. DJL's
     * {@code logSoftmax} has no dtype argument, and widening first would keep an extra fp32 copy of the logits.
     */
    public static NDArray logSoftmaxFp32(NDArray x, int dim) {
        return JniUtils.logSoftmax((PtNDArray) x, dim, DataType.FLOAT32);
    }

    /**
     * Whether autograd records on this thread ({@code torch.is_grad_enabled()}). DJL only flips grad mode inside its
     * {@code GradientCollector}, of which the JVM may hold one at a time; PyTorch's grad mode is thread-local.
     */
    public static boolean isGradMode() {
        return JniUtils.isGradMode();
    }

    /** Sets this thread's grad mode ({@code torch.set_grad_enabled}); see {@link #isGradMode}. */
    public static void setGradMode(boolean enabled) {
        JniUtils.setGradMode(enabled);
    }

    /**
     * {@code loss.backward(seed)}, accumulating into every leaf that requires gradient. DJL's only public backward is
     * {@code GradientCollector.backward}, tied to its one-per-JVM collector.
     */
    public static void backward(NDArray loss, NDArray seed) {
        JniUtils.backward((PtNDArray) loss, (PtNDArray) seed, false, false);
    }

    /**
     * DJL's fused native Adam update, in place: {@code m <- b1 m + (1-b1) g; v <- b2 v + (1-b2) g^2;
     * p <- p (1 - lr wd) - stepSize m / (sqrt(v) + eps)} (decoupled weight decay). DJL's public
     * {@code ai.djl.training.optimizer.Adam} calls it with L2-coupled decay and an uncorrected epsilon, and keeps the
     * moments where a checkpoint cannot reach them.
     */
    public static void adamWUpdate(NDArray parameter, NDArray gradient, NDArray first, NDArray second, float lr,
            float stepSize, float weightDecay, float beta1, float beta2, float epsilon) {
        JniUtils.adamUpdate((PtNDArray) parameter, (PtNDArray) gradient, (PtNDArray) first, (PtNDArray) second, lr,
                stepSize, weightDecay, 1f, -1f, beta1, beta2, epsilon, true);
    }

    /**
     * {@code p.grad.zero_()}: NaN-safe and in place. DJL has no public call that resets an accumulated gradient
     * ({@code getGradient()} hands out a new handle on it, and zeroing it by arithmetic keeps NaN: NaN * 0 = NaN).
     */
    public static void zeroGrad(NDArray parameter) {
        JniUtils.zeroGrad((PtNDArray) parameter);
    }

    /** Every element of {@code array} set to 0 in place (NaN-safe: an assignment, not arithmetic). */
    public static void zeroInPlace(NDArray array) {
        // a shared constant as the value: DJL's set(index, Number) makes (and never frees) a device scalar per call
        array.set(new ai.djl.ndarray.index.NDIndex("..."), org.locasbench.model.adapter.Scoped.scalar(array, 0));
    }

    /**
     * Training-mode dropout of {@code x} (kept values scaled by 1 / (1 - p)) whose mask is a function of {@code key}
     * alone: libtorch's global generator is reseeded with the key and the draw launched under one JVM-wide lock, so
     * concurrent workers never interleave their draws and a run is bit-for-bit reproducible whatever its threads do.
     * DJL exposes no per-thread {@code torch.Generator}; its {@code Dropout.dropout} draws from wherever the global
     * generator happens to be. Whatever else draws from that generator ({@code Engine.setRandomSeed} and DJL's
     * {@code random*} in {@code Qwen3Weights.random}) bypasses the lock, so it must not run while workers train.
     */
    public static NDArray dropout(NDArray x, double p, long key) {
        synchronized (GENERATOR) {
            JniUtils.setSeed(key);
            return JniUtils.dropout((PtNDArray) x, p, true);
        }
    }

    /**
     * Training-mode dropout that takes the generator's next numbers, without reseeding it: only inside
     * {@link #seeded} (or a CUDA-graph capture, which records where the draws sit and may not reseed; each replay
     * then runs inside {@link #seeded}), so the masks are a function of that call's key and of the draw's place
     * among the draws after it.
     */
    public static NDArray dropoutNextDraw(NDArray x, double p) {
        return JniUtils.dropout((PtNDArray) x, p, true);
    }

    /**
     * Runs {@code body} with libtorch's global generators seeded with {@code key} (offset 0) and held for the whole
     * body, so draws inside it ({@link #dropoutNextDraw}, a CUDA graph's recorded draws at its replay) depend on the
     * key alone, whatever other threads do.
     */
    public static <T> T seeded(long key, java.util.function.Supplier<T> body) {
        synchronized (GENERATOR) {
            JniUtils.setSeed(key);
            return body.get();
        }
    }
}
