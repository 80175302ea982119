package org.locasbench.model;

import ai.djl.ndarray.types.DataType;

/**
 * The dtype frozen weights are converted to on load and matmuls run in. fp32 is the default; fp16 is the GPU path
 * (RMSNorm, softmax, logits and losses stay fp32, trainable weights are fp32 masters); fp64 exists for gradient checks.
 */
public enum Precision {
    FP32(DataType.FLOAT32), FP16(DataType.FLOAT16), FP64(DataType.FLOAT64);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
    }

    /** The dtype of trainable memory/adapter weights: fp32 masters under fp16 compute, else the compute dtype. */
    public DataType masterType() {
        return this == FP64 ? DataType.FLOAT64 : DataType.FLOAT32;
    }

    public static Precision parse(String name) {
        for (Precision p : values()) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + name + "'; use fp32, fp16 or fp64");
    }
}
