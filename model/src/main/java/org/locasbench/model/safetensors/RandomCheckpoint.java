package org.locasbench.model.safetensors;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.locasbench.model.adapter.Projection;
import org.locasbench.model.config.Qwen3Config;

/**
 * A Qwen3 checkpoint with random weights in a released model's layout, for testing real shapes and file layouts where
 * the real weights cannot be had: the tensors transformers saves for {@code Qwen3ForCausalLM} (state-dict order), in the
 * chosen dtype, sharded by {@link ShardedWriter}, optionally with a tied {@code lm_head.weight} stored anyway in a
 * shard of its own (as {@code Qwen/Qwen3-1.7B-Base} is released: shard 1 holds the embedding, every layer and the
 * final norm, shard 2 {@code lm_head.weight}, equal to the embedding).
 *
 * <p>Matrices are uniform in [-a, a] with a = std * sqrt(3) (standard deviation {@code std}, transformers' 0.02 by
 * default), norm weights 1. Values come from a counter-based generator keyed by (seed, tensor name, element), so the
 * same arguments give the same bytes on any machine, streamed without holding a tensor in memory.
 *
 * @param config the shapes (e.g. a real config.json, possibly with fewer layers)
 * @param dtype BF16 (as released), F16 or F32
 * @param seed generator seed
 * @param std standard deviation of the matrices
 * @param storeTiedHead when embeddings are tied, store {@code lm_head.weight} anyway, in its own last shard
 * @param maxShardBytes transformers' max_shard_size
 */
public record RandomCheckpoint(Qwen3Config config, StoredType dtype, long seed, double std, boolean storeTiedHead,
        long maxShardBytes) {

    public RandomCheckpoint {
        if (dtype != StoredType.BF16 && dtype != StoredType.F16 && dtype != StoredType.F32) {
            throw new IllegalArgumentException("random checkpoints are BF16, F16 or F32, not " + dtype);
        }
    }

    private record Spec(String name, long[] shape, String valuesOf, boolean ones) {}

    /** Writes {@code config.json} and the weights into {@code dir} (which must be empty or absent); returns file names. */
    public List<String> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ShardedWriter writer = new ShardedWriter();
        for (Spec s : specs()) {
            writer.add(s.name(), dtype, s.shape(), source(s));
        }
        if (config.tieWordEmbeddings() && storeTiedHead) {
            writer.shardBreakBefore("lm_head.weight");
        }
        List<String> files = new ArrayList<>(writer.write(dir, maxShardBytes));
        config.write(dir.resolve("config.json"), DerivedCheckpoint.dtypeName(dtype));
        files.add("config.json");
        return files;
    }

    private List<Spec> specs() {
        int d = config.hiddenSize();
        int q = config.numAttentionHeads() * config.headDim();
        int kv = config.numKeyValueHeads() * config.headDim();
        int m = config.intermediateSize();
        List<Spec> specs = new ArrayList<>();
        String embed = "model.embed_tokens.weight";
        specs.add(new Spec(embed, new long[] {config.vocabSize(), d}, embed, false));
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            String p = "model.layers." + i + ".";
            matrix(specs, Projection.Q.weightName(i), q, d);
            matrix(specs, Projection.K.weightName(i), kv, d);
            matrix(specs, Projection.V.weightName(i), kv, d);
            matrix(specs, Projection.O.weightName(i), d, q);
            specs.add(new Spec(p + "self_attn.q_norm.weight", new long[] {config.headDim()}, null, true));
            specs.add(new Spec(p + "self_attn.k_norm.weight", new long[] {config.headDim()}, null, true));
            matrix(specs, Projection.GATE.weightName(i), m, d);
            matrix(specs, Projection.UP.weightName(i), m, d);
            matrix(specs, Projection.DOWN.weightName(i), d, m);
            specs.add(new Spec(p + "input_layernorm.weight", new long[] {d}, null, true));
            specs.add(new Spec(p + "post_attention_layernorm.weight", new long[] {d}, null, true));
        }
        specs.add(new Spec("model.norm.weight", new long[] {d}, null, true));
        if (!config.tieWordEmbeddings()) {
            matrix(specs, "lm_head.weight", config.vocabSize(), d);
        } else if (storeTiedHead) {
            specs.add(new Spec("lm_head.weight", new long[] {config.vocabSize(), d}, embed, false));
        }
        return specs;
    }

    private static void matrix(List<Spec> specs, String name, long rows, long cols) {
        specs.add(new Spec(name, new long[] {rows, cols}, name, false));
    }

    private SafetensorsWriter.TensorSource source(Spec s) {
        long count = 1;
        for (long dim : s.shape()) {
            count *= dim;
        }
        long n = count;
        long key = mix(seed ^ mix(s.valuesOf() == null ? 0 : s.valuesOf().hashCode() * 0x9E3779B97F4A7C15L));
        float a = (float) (std * Math.sqrt(3));
        return (OutputStream out) -> {
            ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            int per = chunk.capacity() / dtype.bytes();
            float[] values = new float[per];
            for (long first = 0; first < n; first += per) {
                int k = (int) Math.min(per, n - first);
                for (int i = 0; i < k; i++) {
                    // top 24 bits of a mixed counter: uniform in [0, 1), mapped to [-a, a)
                    values[i] = s.ones() ? 1f : a * (2f * ((mix(key + first + i) >>> 40) * 0x1p-24f) - 1f);
                }
                chunk.clear();
                FloatConversion.narrow(values, 0, k, dtype, chunk);
                out.write(chunk.array(), 0, chunk.position());
            }
        };
    }

    /** SplitMix64's finaliser: a bijective 64-bit mix. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
