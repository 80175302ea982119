package org.locasbench.model.engine;

/**
 * The functions of Locas Bench's own native library ({@code native/src/locas_native.cpp}), on DJL PyTorch handles
 * (addresses of {@code torch::Tensor}s; a returned handle is a new tensor the caller wraps in a {@code PtNDArray}).
 * Only {@link FastPath} loads the library and only code that checked {@link FastPath} calls these. Errors inside
 * libtorch come back as {@link NativeTorchException}.
 */
final class NativeTorch {
    private NativeTorch() {}

    /** "torch X.Y.Z cuda" or "torch X.Y.Z cpu": what the library was compiled against. */
    static native String buildInfo();

    static native boolean hasCuda();

    /** {@code at::scaled_dot_product_attention(q, k, v, is_causal, scale, enable_gqa)}: differentiable. */
    static native long attention(long q, long k, long v, boolean causal, double scale, boolean gqa);

    /** NLL [N] of targets [N] under hidden [N, d] x weight [V, d]^T, {@code chunk} positions at a time. */
    static native long linearNll(long hidden, long weight, long targets, int chunk);

    /** {@code at::silu(gate) * up}: differentiable. */
    static native long swiGlu(long gate, long up);

    /** {@code at::rms_norm(x, [d], w, eps)}: differentiable. */
    static native long rmsNorm(long x, long weight, double eps);

    /**
     * torch.optim.AdamW(fused=True) on every parameter from its gradient, then the gradients zeroed; {@code step}: a
     * shared 0-d float step count on the device (incremented here), {@code lr} a 0-d device tensor, {@code foundInf} a
     * 0-d float tensor (non-zero: no update, step taken back) or 0.
     */
    static native void fusedAdamW(long[] params, long[] firstMoments, long[] secondMoments, long step, long lr,
            double beta1, double beta2, double weightDecay, double eps, long foundInf);

    /** {@code dst.copy_(values)} in place (int64 dst of as many elements). */
    static native void copyLongs(long dst, long[] values);

    /** {@code dst.fill_(value)} in place. */
    static native void fill(long dst, double value);

    static native long enterSideStream(int device);

    static native void leaveSideStream(long swap);

    static native void emptyCache();

    static native long graphNew();

    static native void graphBegin(long graph);

    static native void graphEnd(long graph);

    static native void graphAbort(long graph);

    static native void graphReplay(long graph);

    static native void graphDelete(long graph);

    static native long eventNew();

    static native void eventRecord(long event);

    static native float eventElapsedMs(long start, long end);

    static native void eventDelete(long event);
}
