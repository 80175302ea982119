package org.locasbench.locas;

import java.util.List;

/**
 * What a memory file records about how and for which model it was made.
 *
 * @param width the memory's current width (rows of G, K, V per layer)
 * @param growth how an expandable memory grew, in order (empty for a fixed width)
 */
public record MemoryInfo(String baseModel, String baseFingerprint, int hiddenSize, int layers, int width,
        InitStrategy init, Clipping clipping, long seed, List<Growth> growth) {

    /** One growth step: after window {@code window}, {@code added} rows per layer, to {@code width}. */
    public record Growth(int window, int added, int width) {}

    public MemoryInfo {
        growth = List.copyOf(growth);
    }

    /** A memory of fixed width (no growth). */
    public MemoryInfo(String baseModel, String baseFingerprint, int hiddenSize, int layers, int width,
            InitStrategy init, Clipping clipping, long seed) {
        this(baseModel, baseFingerprint, hiddenSize, layers, width, init, clipping, seed, List.of());
    }

    /** The width memorize gave the memory, before any growth. */
    public int initialWidth() {
        return width - growth.stream().mapToInt(Growth::added).sum();
    }

    /** This info after one more growth step. */
    public MemoryInfo grown(int window, int added) {
        List<Growth> g = new java.util.ArrayList<>(growth);
        g.add(new Growth(window, added, width + added));
        return new MemoryInfo(baseModel, baseFingerprint, hiddenSize, layers, width + added, init, clipping, seed, g);
    }
}
