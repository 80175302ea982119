package org.locasbench.model.engine;

/**
 * GPU timeline span between two points of this thread's current stream (a pair of CUDA events): the kernels queued in
 * between plus any time the stream sat idle waiting for the host. {@link #elapsedMs} waits for the stop event.
 */
public final class GpuTimer implements AutoCloseable {
    private final long start = NativeTorch.eventNew();
    private final long stop = NativeTorch.eventNew();

    public void start() {
        NativeTorch.eventRecord(start);
    }

    public void stop() {
        NativeTorch.eventRecord(stop);
    }

    public float elapsedMs() {
        return NativeTorch.eventElapsedMs(start, stop);
    }

    @Override
    public void close() {
        NativeTorch.eventDelete(start);
        NativeTorch.eventDelete(stop);
    }
}
