package org.locasbench.model.engine;

import ai.djl.Device;

/**
 * One captured CUDA graph ({@code at::cuda::CUDAGraph}) of work issued by this thread: {@link #capture} records what
 * the body launches (no kernel runs then), {@link #replay} launches all of it again with one call, reading and writing
 * the same device addresses. The body must therefore not read the host (no {@code toFloatArray}, no scalar from
 * Java), and every array it reads or writes that outlives it must stay allocated while the graph is replayed. A body
 * that breaks a rule makes {@link #capture} throw {@link CaptureFailed}; the stream is left usable for eager work.
 */
public final class CudaGraph implements AutoCloseable {
    private long handle;

    private CudaGraph(long handle) {
        this.handle = handle;
    }

    /** Why a capture failed (the libtorch / CUDA message). */
    public static final class CaptureFailed extends RuntimeException {
        CaptureFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Records {@code body} on this thread's current stream (a {@link SideStream}'s). The allocator's cached blocks are
     * handed back first, so the graph's private memory pool does not come on top of them.
     */
    public static CudaGraph capture(Runnable body) {
        NativeTorch.emptyCache();
        long h = NativeTorch.graphNew();
        try {
            NativeTorch.graphBegin(h);
            body.run();
            NativeTorch.graphEnd(h);
        } catch (RuntimeException e) {
            abort(h, e);
            throw new CaptureFailed("CUDA graph capture failed: " + e.getMessage(), e);
        } catch (Error e) {
            abort(h, e);
            throw e;
        }
        return new CudaGraph(h);
    }

    /** Leaves capture mode; a failure of that is attached to the error that caused the abort, not thrown over it. */
    private static void abort(long handle, Throwable cause) {
        try {
            NativeTorch.graphAbort(handle);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    public void replay() {
        if (handle == 0) {
            throw new IllegalStateException("the graph was closed");
        }
        NativeTorch.graphReplay(handle);
    }

    @Override
    public void close() {
        if (handle != 0) {
            NativeTorch.graphDelete(handle);
            handle = 0;
        }
    }

    /**
     * A non-default stream of a CUDA device made this thread's current stream until closed (graphs cannot be captured
     * on the default stream; the eager warm-up runs on the same stream, so the capture sees what it allocated).
     * Entering waits for the work already queued; closing waits for the side stream's.
     */
    public static final class SideStream implements AutoCloseable {
        private long swap;

        public SideStream(Device device) {
            swap = NativeTorch.enterSideStream(device.getDeviceId());
        }

        @Override
        public void close() {
            if (swap != 0) {
                NativeTorch.leaveSideStream(swap);
                swap = 0;
            }
        }
    }
}
