package org.locasbench.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Rotary position embedding in the "rotate half" layout Qwen3 uses: {@code x cos(p f) + rotate_half(x) sin(p f)} with
 * {@code f_i = theta^(-2i/d)}. Frequencies and angles are computed in fp32 exactly as transformers does.
 */
public final class RotaryEmbedding {
    private final NDArray inverseFrequencies;
    private final int headDim;

    public RotaryEmbedding(NDManager manager, int headDim, double theta) {
        this.headDim = headDim;
        NDArray exponents = manager.arange(0, headDim, 2, DataType.INT64).toType(DataType.FLOAT32, false).div(headDim);
        NDArray powers = manager.full(exponents.getShape(), (float) theta).pow(exponents);
        this.inverseFrequencies = manager.ones(powers.getShape()).div(powers);
    }

    /** cos and sin tables [tokens, headDim] for positions offset .. offset+tokens-1, in the home manager of {@code like}. */
    public NDList tables(NDArray like, long offset, long tokens) {
        return tables(like.getManager(), like.getDataType(), offset, tokens);
    }

    /** cos and sin tables [tokens, headDim] of dtype {@code type} in {@code m}. */
    public NDList tables(NDManager m, DataType type, long offset, long tokens) {
        NDArray positions = m.arange(offset, offset + tokens, 1, DataType.INT64).toType(DataType.FLOAT32, false);
        NDArray angles = positions.reshape(tokens, 1).mul(inverseFrequencies.reshape(1, headDim / 2));
        NDArray full = NDArrays.concat(new NDList(angles, angles), -1);
        return new NDList(full.cos().toType(type, false), full.sin().toType(type, false));
    }

    /** Applies the rotation to x [batch, heads, tokens, headDim]. */
    public static NDArray apply(NDArray x, NDList tables) {
        long half = x.getShape().get(3) / 2;
        NDArray first = x.get("..., :" + half);
        NDArray second = x.get("..., " + half + ":");
        NDArray rotated = NDArrays.concat(new NDList(second.neg(), first), -1);
        return x.mul(tables.get(0)).add(rotated.mul(tables.get(1)));
    }
}
