package org.locasbench.locas;

import ai.djl.ndarray.NDArray;

/**
 * The memory of one layer: trainable gate G, key K and value V rows [r, d] (stored unclipped; see
 * {@link LocasEquations#clipRows}) and the fixed output scale tau.
 */
public record MemoryLayer(NDArray gate, NDArray key, NDArray value, float tau) {}
