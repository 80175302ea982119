package org.locasbench.model.adapter;

import ai.djl.ndarray.NDArray;
import org.locasbench.model.engine.TorchOps;

/**
 * Turns autograd recording on ({@link #recording}) or off ({@link #paused}) for the current thread until closed. DJL's
 * GradientCollector allows one collector per JVM (a static flag), which would serialise training across GPU workers;
 * PyTorch's grad mode is thread-local, so each worker thread records its own graph. Scoring pauses it explicitly:
 * a new thread starts with recording on, and a graph recorded for nothing keeps every activation alive.
 */
public final class GradientScope implements AutoCloseable {
    private final boolean previous;

    private GradientScope(boolean enabled) {
        previous = TorchOps.isGradMode();
        TorchOps.setGradMode(enabled);
    }

    public static GradientScope recording() {
        return new GradientScope(true);
    }

    public static GradientScope paused() {
        return new GradientScope(false);
    }

    /** d loss / d every leaf that requires gradient; gradients accumulate into the leaves. */
    public void backward(NDArray loss) {
        TorchOps.backward(loss, loss.onesLike());
    }

    @Override
    public void close() {
        TorchOps.setGradMode(previous);
    }
}
