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

    private record Loader(Checkpoint checkpoint, NDManager manager, DataType type) {
        NDArray load(String name, long... expected) {
            TensorEntry entry = checkpoint.entry(name);
            if (!Arrays.equals(entry.shape(), expected)) {
                throw new ModelFormatException(checkpoint.fileOf(name), "tensor '" + name + "' has shape "
                        + Arrays.toString(entry.shape()) + " but config.json implies " + Arrays.toString(expected)
                        + "; config.json and the weights belong to different models");
            }
            NDArray fp32 = manager.create(checkpoint.floatBuffer(name), new Shape(expected));
            if (type == DataType.FLOAT32) {
                return fp32;
            }
            NDArray converted = fp32.toType(type, false);
            fp32.close();
            return converted;
        }
    }
}
