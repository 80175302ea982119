package org.locasbench.model.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import java.util.List;

/**
 * The fused ATen kernels of the fast path (see {@link FastPath}), on DJL arrays; results live in the manager of the
 * first argument, as DJL's own ops put them. Callers check {@link FastPath#on} first.
 */
public final class FusedOps {
    private FusedOps() {}

    /**
     * Causal {@code softmax(q k^T scale) v} for q [B, H, T, D] and k, v [B, KV, T, D] (queries and keys over the same
     * positions); {@code gqa}: H is a multiple of KV and query head h reads key/value head h / (H / KV).
     */
    public static NDArray causalAttention(NDArray q, NDArray k, NDArray v, double scale, boolean gqa) {
        return wrap(q, NativeTorch.attention(handle(q), handle(k), handle(v), true, scale, gqa));
    }

    /** Positions of the LM head's logits made at a time by {@link #linearNll} (256 x 151,936 fp32 = 156 MB). */
    public static final int NLL_CHUNK = 256;

    /**
     * {@code -log softmax(hidden W^T)[target]} per position for hidden [N, d], the frozen LM head W [V, d] and
     * targets [N]: fp32 [N], differentiable with respect to hidden. The [N, V] logits are made chunk by chunk in the
     * forward and again in the backward, never all at once and never kept for it.
     */
    public static NDArray linearNll(NDArray hidden, NDArray weight, NDArray targets) {
        return wrap(hidden, NativeTorch.linearNll(handle(hidden), handle(weight), handle(targets), NLL_CHUNK));
    }

    /** {@code silu(gate) * up} with ATen's silu: one kernel less, and one activation less kept for the backward pass. */
    public static NDArray swiGlu(NDArray gate, NDArray up) {
        return wrap(gate, NativeTorch.swiGlu(handle(gate), handle(up)));
    }

    /** {@code w * x / sqrt(mean(x^2) + eps)} over the last axis, one kernel (statistics in fp32 under fp16). */
    public static NDArray rmsNorm(NDArray x, NDArray weight, double eps) {
        return wrap(x, NativeTorch.rmsNorm(handle(x), handle(weight), eps));
    }

    /**
     * torch.optim.AdamW(fused=True) of every parameter from its gradient, gradients zeroed afterwards; {@code step} is
     * the shared 0-d float step count on the device (incremented), {@code lr} a 0-d device tensor; with a non-zero
     * {@code foundInf} (0-d float, or null) nothing changes and the step is taken back. Nothing reads the host, so a
     * CUDA graph can hold it.
     */
    public static void adamW(List<NDArray> parameters, List<NDArray> firstMoments, List<NDArray> secondMoments,
            NDArray step, NDArray lr, double beta1, double beta2, double weightDecay, double eps, NDArray foundInf) {
        NativeTorch.fusedAdamW(handles(parameters), handles(firstMoments), handles(secondMoments), handle(step),
                handle(lr), beta1, beta2, weightDecay, eps, foundInf == null ? 0 : handle(foundInf));
    }

    /**
     * {@code dst.copy_(values)} keeping dst's storage, as a CUDA graph that reads dst needs (DJL's {@code set(Buffer)}
     * gives a CUDA array new storage).
     */
    public static void copyInto(NDArray dst, long[] values) {
        NativeTorch.copyLongs(handle(dst), values);
    }

    /** {@code dst.fill_(value)} keeping dst's storage. */
    public static void fill(NDArray dst, double value) {
        NativeTorch.fill(handle(dst), value);
    }

    static long handle(NDArray a) {
        return ((PtNDArray) a).getHandle();
    }

    private static long[] handles(List<NDArray> arrays) {
        long[] h = new long[arrays.size()];
        for (int i = 0; i < h.length; i++) {
            h[i] = handle(arrays.get(i));
        }
        return h;
    }

    private static NDArray wrap(NDArray like, long handle) {
        return new PtNDArray((PtNDManager) like.getManager(), handle);
    }
}
