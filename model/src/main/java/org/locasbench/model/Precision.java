package org.locasbench.model;

import ai.djl.ndarray.types.DataType;

/** The dtype weights are converted to on load and matmuls run in. fp32 is the default; fp64 exists for gradient checks. */
public enum Precision {
    FP32(DataType.FLOAT32), FP16(DataType.FLOAT16), FP64(DataType.FLOAT64);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
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
