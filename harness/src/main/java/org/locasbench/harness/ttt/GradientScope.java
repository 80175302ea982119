package org.locasbench.harness.ttt;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Records autograd for the current thread only. DJL's GradientCollector allows one collector per JVM (a static flag),
 * which would serialise training across GPU workers; PyTorch's grad mode is thread-local, so each worker thread can
 * record its own graph.
 */
final class GradientScope implements AutoCloseable {
    private final boolean previous;

    GradientScope() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    /** d loss / d every leaf that requires gradient; gradients accumulate into the leaves. */
    void backward(NDArray loss) {
        NDArray seed = loss.onesLike();
        JniUtils.backward((PtNDArray) loss, (PtNDArray) seed, false, false);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
