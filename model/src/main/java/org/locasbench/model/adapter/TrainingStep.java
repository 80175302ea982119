package org.locasbench.model.adapter;

/**
 * One optimiser step of a test-time-training run, which keys the step's random draws (LoRA dropout masks). On the CPU a
 * draw's key is a hash of (seed, window, step) and its own place in the step (layer, projection, how often that
 * projection drew before in the step); on the GPU fast path the step's draws are one stream seeded with
 * {@link #streamKey()} (a CUDA graph replays draws in the order it recorded them and cannot reseed between them).
 * Either way a mask depends on nothing else: not on other threads or workers, and a resumed run replays it.
 *
 * @param step the step within the window, from 0
 */
public record TrainingStep(long seed, int window, int step) {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    /** The key of one draw of this step. */
    public long key(int layer, Projection projection, int draw) {
        long h = mix(seed);
        for (long c : new long[] {window, step, layer, projection.ordinal(), draw}) {
            h = mix(h + GOLDEN_GAMMA + c);
        }
        return h;
    }

    /**
     * The key of the step's one stream of draws: on a CUDA device the generator is seeded with it once per step and
     * the step's draws follow each other in it (what a CUDA graph can record and replay); see
     * {@link TrainableAdapter#beginStreamStep}.
     */
    public long streamKey() {
        long h = mix(seed ^ 0x53545245414DL); // "STREAM": apart from the per-draw and sampling keys
        for (long c : new long[] {window, step}) {
            h = mix(h + GOLDEN_GAMMA + c);
        }
        return h;
    }

    /**
     * The seed of the sampler for prompt {@code prompt} of this step (GRPO's groups): keyed like every other draw, so
     * a resumed run samples the same continuations and concurrent workers do not share a generator.
     */
    public long samplingKey(int prompt) {
        long h = mix(seed ^ 0x5A4D504C45L); // "SAMPLE": apart from the dropout keys
        for (long c : new long[] {window, step, prompt}) {
            h = mix(h + GOLDEN_GAMMA + c);
        }
        return h;
    }

    /** SplitMix64's finaliser: a bijection on 64-bit values in which every input bit reaches every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
