package org.locasbench.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.locasbench.model.ModelFormatException;
import org.locasbench.model.Precision;
import org.locasbench.model.adapter.Projection;
import org.locasbench.model.config.Qwen3Config;
import org.locasbench.model.safetensors.Checkpoint;
import org.locasbench.model.safetensors.TensorEntry;

/** All frozen tensors of a Qwen3 checkpoint, converted to the compute dtype and checked against the config's shapes. */
public record Qwen3Weights(NDArray embedTokens, List<LayerWeights> layers, NDArray finalNorm, NDArray lmHead) {

    public static Qwen3Weights load(Checkpoint checkpoint, Qwen3Config c, NDManager manager, Precision precision) {
        Loader l = new Loader(checkpoint, manager, precision.dataType());
        int d = c.hiddenSize();
        int q = c.numAttentionHeads() * c.headDim();
        int kv = c.numKeyValueHeads() * c.headDim();
        int m = c.intermediateSize();
        NDArray embed = l.load("model.embed_tokens.weight", c.vocabSize(), d);
        List<LayerWeights> layers = new ArrayList<>();
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String p = "model.layers." + i + ".";
            layers.add(new LayerWeights(
                    l.load(p + "input_layernorm.weight", d),
                    l.load(Projection.Q.weightName(i), q, d),
                    l.load(Projection.K.weightName(i), kv, d),
                    l.load(Projection.V.weightName(i), kv, d),
                    l.load(Projection.O.weightName(i), d, q),
                    l.load(p + "self_attn.q_norm.weight", c.headDim()),
                    l.load(p + "self_attn.k_norm.weight", c.headDim()),
                    l.load(p + "post_attention_layernorm.weight", d),
                    l.load(Projection.GATE.weightName(i), m, d),
                    l.load(Projection.UP.weightName(i), m, d),
                    l.load(Projection.DOWN.weightName(i), d, m)));
        }
        NDArray norm = l.load("model.norm.weight", d);
        NDArray head = c.tieWordEmbeddings() && !checkpoint.has("lm_head.weight") ? embed
                : l.load("lm_head.weight", c.vocabSize(), d);
        return new Qwen3Weights(embed, List.copyOf(layers), norm, head);
    }

    /**
     * Random weights of the config's shapes, as transformers initialises a fresh Qwen3: every matrix N(0, std^2),
     * every norm weight 1. For timing real shapes without their checkpoints; drawn on the manager's device.
     */
    public static Qwen3Weights random(Qwen3Config c, NDManager manager, Precision precision, long seed, double std) {
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
        RandomInit r = new RandomInit(manager, precision.dataType(), (float) std);
        int d = c.hiddenSize();
        int q = c.numAttentionHeads() * c.headDim();
        int kv = c.numKeyValueHeads() * c.headDim();
        int m = c.intermediateSize();
        NDArray embed = r.matrix(c.vocabSize(), d);
        List<LayerWeights> layers = new ArrayList<>();
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            layers.add(new LayerWeights(r.ones(d), r.matrix(q, d), r.matrix(kv, d), r.matrix(kv, d), r.matrix(d, q),
                    r.ones(c.headDim()), r.ones(c.headDim()), r.ones(d), r.matrix(m, d), r.matrix(m, d),
                    r.matrix(d, m)));
        }
        NDArray head = c.tieWordEmbeddings() ? embed : r.matrix(c.vocabSize(), d);
        return new Qwen3Weights(embed, List.copyOf(layers), r.ones(d), head);
    }

    private record RandomInit(NDManager manager, DataType type, float std) {
        NDArray matrix(long rows, long cols) {
            return convertOwned(manager.randomNormal(0f, std, new Shape(rows, cols), DataType.FLOAT32), type);
        }

        NDArray ones(long n) {
            return manager.ones(new Shape(n), type);
        }
    }

    private record Loader(Checkpoint checkpoint, NDManager manager, DataType type) {
        NDArray load(String name, long... expected) {
            TensorEntry entry = checkpoint.entry(name);
            if (!Arrays.equals(entry.shape(), expected)) {
                throw new ModelFormatException(checkpoint.fileOf(name), "tensor '" + name + "' has shape "
                        + Arrays.toString(entry.shape()) + " but config.json implies " + Arrays.toString(expected)
                        + "; config.json and the weights belong to different models");
            }
            return convertOwned(manager.create(checkpoint.floatBuffer(name), new Shape(expected)), type);
        }
    }

    /** {@code fp32} in {@code type}; the fp32 original is freed at once when a converted copy replaces it. */
    private static NDArray convertOwned(NDArray fp32, DataType type) {
        if (type == DataType.FLOAT32) {
            return fp32;
        }
        NDArray converted = fp32.toType(type, false);
        fp32.close();
        return converted;
    }
}
