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

    /**
     * Loads every tensor the config names, one at a time: widened to fp32 (finiteness checked) into one reused off-heap
     * staging buffer, copied into a libtorch tensor on the manager's device, then narrowed to the compute dtype. Peak
     * Java memory is therefore the largest single tensor in fp32 (direct memory), whatever the checkpoint's size.
     *
     * <p>Rules for the tensors a checkpoint holds beyond the config: a {@code lm_head.weight} stored although
     * {@code tie_word_embeddings} is true (as Qwen3-1.7B-Base is released) is accepted when it equals the embedding
     * byte for byte, with one log line, and refused when it differs; any other tensor that nothing reads is an error.
     */
    public static Qwen3Weights load(Checkpoint checkpoint, Qwen3Config c, NDManager manager, Precision precision) {
        try (Loader l = new Loader(checkpoint, manager, precision.dataType(), new java.util.HashSet<>())) {
            Qwen3Weights w = loadAll(l, checkpoint, c);
            l.refuseUnused();
            return w;
        }
    }

    private static Qwen3Weights loadAll(Loader l, Checkpoint checkpoint, Qwen3Config c) {
        int d = c.hiddenSize();
        int q = c.numAttentionHeads() * c.headDim();
        int kv = c.numKeyValueHeads() * c.headDim();
        int m = c.intermediateSize();
        NDArray embed = l.load(EMBED, c.vocabSize(), d);
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
        NDArray head;
        if (!c.tieWordEmbeddings()) {
            head = l.load(LM_HEAD, c.vocabSize(), d);
        } else {
            if (checkpoint.has(LM_HEAD)) {
                l.acceptTiedCopy(LM_HEAD, EMBED);
            }
            head = embed;
        }
        return new Qwen3Weights(embed, List.copyOf(layers), norm, head);
    }

    private static final String EMBED = "model.embed_tokens.weight";
    private static final String LM_HEAD = "lm_head.weight";

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

    /** Loads tensors through one staging buffer and remembers which names were read. */
    private static final class Loader implements AutoCloseable {
        private final Checkpoint checkpoint;
        private final NDManager manager;
        private final DataType type;
        private final java.util.Set<String> used;
        private java.nio.ByteBuffer staging;

        Loader(Checkpoint checkpoint, NDManager manager, DataType type, java.util.Set<String> used) {
            this.checkpoint = checkpoint;
            this.manager = manager;
            this.type = type;
            this.used = used;
        }

        NDArray load(String name, long... expected) {
            TensorEntry entry = checkShape(name, expected);
            long bytes = Math.multiplyExact(entry.elementCount(), 4L);
            if (bytes > org.locasbench.model.safetensors.SafetensorsFile.MAX_WINDOW) {
                throw new ModelFormatException(checkpoint.fileOf(name), "tensor '" + name + "' is " + bytes
                        + " bytes in fp32, more than one staging buffer (2 GiB) holds; models this large are not "
                        + "supported yet");
            }
            if (staging == null || staging.capacity() < bytes) {
                staging = null; // let the old buffer go before the larger one is reserved
                staging = java.nio.ByteBuffer.allocateDirect((int) bytes).order(java.nio.ByteOrder.nativeOrder());
            }
            java.nio.ByteBuffer view = staging.duplicate().clear().limit((int) bytes).slice()
                    .order(java.nio.ByteOrder.nativeOrder());
            checkpoint.readFloat32(name, view.asFloatBuffer());
            used.add(name);
            NDArray wrapped = manager.create(view, new Shape(expected), DataType.FLOAT32);
            if (!manager.getDevice().isGpu()) {
                // on the CPU libtorch wraps the staging memory itself (from_blob): own a copy before it is reused
                NDArray owned = wrapped.duplicate();
                wrapped.close();
                wrapped = owned;
            }
            return convertOwned(wrapped, type);
        }

        void acceptTiedCopy(String copy, String original) {
            TensorEntry a = checkpoint.entry(copy);
            TensorEntry b = checkpoint.entry(original);
            boolean equal = a.type() == b.type() && Arrays.equals(a.shape(), b.shape()) && sameBytes(copy, original,
                    a.byteLength());
            if (!equal) {
                throw new ModelFormatException(checkpoint.fileOf(copy), "'" + copy + "' is stored and differs from '"
                        + original + "' although config.json sets tie_word_embeddings: true; set it to false to use "
                        + "the separate head, or drop the tensor from the checkpoint");
            }
            used.add(copy);
            System.err.println("note: " + checkpoint.fileOf(copy).getFileName() + " stores '" + copy + "' although the "
                    + "embeddings are tied; it equals '" + original + "' and is not loaded twice");
        }

        private boolean sameBytes(String x, String y, long length) {
            int step = org.locasbench.model.safetensors.SafetensorsFile.MAX_WINDOW;
            for (long off = 0; off < length; off += step) {
                int n = (int) Math.min(step, length - off);
                if (checkpoint.window(x, off, n).mismatch(checkpoint.window(y, off, n)) >= 0) {
                    return false;
                }
            }
            return true;
        }

        private TensorEntry checkShape(String name, long... expected) {
            TensorEntry entry = checkpoint.entry(name);
            if (!Arrays.equals(entry.shape(), expected)) {
                throw new ModelFormatException(checkpoint.fileOf(name), "tensor '" + name + "' has shape "
                        + Arrays.toString(entry.shape()) + " but config.json implies " + Arrays.toString(expected)
                        + "; config.json and the weights belong to different models");
            }
            return entry;
        }

        void refuseUnused() {
            List<String> unused = checkpoint.names().stream().filter(n -> !used.contains(n)).sorted().toList();
            if (!unused.isEmpty()) {
                throw new ModelFormatException(checkpoint.fileOf(unused.get(0)), unused.size() + " tensor(s) that "
                        + "config.json does not use, e.g. '" + unused.get(0) + "'" + (unused.size() > 1 ? " .. '"
                        + unused.get(unused.size() - 1) + "'" : "") + "; config.json (layers, tie_word_embeddings) "
                        + "and the weights belong to different models");
            }
        }

        @Override
        public void close() {
            staging = null;
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
