package org.locasbench.locas;

/** What a memory file records about how and for which model it was made. */
public record MemoryInfo(String baseModel, String baseFingerprint, int hiddenSize, int layers, int width,
        InitStrategy init, Clipping clipping, long seed) {}
