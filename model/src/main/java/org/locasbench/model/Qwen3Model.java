package org.locasbench.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import org.locasbench.model.adapter.DifferentiableCast;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.adapter.Scoped;
import org.locasbench.model.config.Qwen3Config;
import org.locasbench.model.nn.Attention;
import org.locasbench.model.nn.ForwardConstants;
import org.locasbench.model.nn.KvCache;
import org.locasbench.model.nn.LayerWeights;
import org.locasbench.model.nn.Qwen3Weights;
import org.locasbench.model.nn.RmsNorm;
import org.locasbench.model.nn.RotaryEmbedding;
import org.locasbench.model.nn.SwiGluMlp;
import org.locasbench.model.safetensors.Checkpoint;

/**
 * A frozen Qwen3 causal LM on DJL's PyTorch engine. Per layer:
 * <pre>
 *   h = x + Attention(RmsNorm(x))
 *   y = h + Adapter.mlpOutput(SwiGLU(RmsNorm(h)))
 * </pre>
 * then a final RmsNorm and the (tied or separate) LM head. Every array the forward creates lives in the manager of the
 * {@code ids} passed in, so the caller frees a whole forward (or a training step) by closing its own scope.
 */
public final class Qwen3Model implements AutoCloseable {
    private final Path directory;
    private final Qwen3Config config;
    private final NDManager manager;
    private final Qwen3Weights weights;
    private final ForwardConstants constants;
    private final Attention attention;
    private final Precision precision;

    private Qwen3Model(Path directory, Qwen3Config config, NDManager manager, Qwen3Weights weights, Precision precision) {
        this.directory = directory;
        this.config = config;
        this.manager = manager;
        this.weights = weights;
        this.precision = precision;
        RotaryEmbedding rope = new RotaryEmbedding(manager, config.headDim(), config.ropeTheta());
        this.constants = new ForwardConstants(manager, rope);
        this.attention = new Attention(config);
    }

    /** Loads {@code config.json} and the safetensors weights of a local model directory, fp32 on the CPU. */
    public static Qwen3Model load(Path directory) {
        return load(directory, Precision.FP32, Device.cpu());
    }

    public static Qwen3Model load(Path directory, Precision precision, Device device) {
        Qwen3Config config = Qwen3Config.read(directory.resolve("config.json"));
        Checkpoint checkpoint = Checkpoint.open(directory);
        NDManager manager = NDManager.newBaseManager(device);
        try {
            Qwen3Weights weights = Qwen3Weights.load(checkpoint, config, manager, precision);
            return new Qwen3Model(directory, config, manager, weights, precision);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A model of {@code directory/config.json}'s shapes with random weights (N(0, 0.02), norms 1, as transformers
     * initialises Qwen3): for speed runs on real shapes when the checkpoint is not at hand. No weight file is read.
     */
    public static Qwen3Model random(Path directory, Precision precision, Device device, long seed) {
        Qwen3Config config = Qwen3Config.read(directory.resolve("config.json"));
        NDManager manager = NDManager.newBaseManager(device);
        try {
            Qwen3Weights weights = Qwen3Weights.random(config, manager, precision, seed, 0.02);
            return new Qwen3Model(directory, config, manager, weights, precision);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public Path directory() {
        return directory;
    }

    public Qwen3Config config() {
        return config;
    }

    public Qwen3Weights weights() {
        return weights;
    }

    public NDManager manager() {
        return manager;
    }

    public Precision precision() {
        return precision;
    }

    public LayerWeights layer(int i) {
        return weights.layers().get(i);
    }

    /** Logits [batch, tokens, vocab] for ids [batch, tokens] at positions 0..tokens-1, nothing attached. */
    public NDArray logits(NDArray ids) {
        return logits(ids, 0, LayerAdapter.NONE, null);
    }

    /**
     * Logits for ids [batch, tokens] whose first token sits at {@code positionOffset} (or after the cache's contents
     * when a cache is given; the cache is then extended). fp16 logits are widened to fp32; fp64 stays fp64.
     */
    public NDArray logits(NDArray ids, long positionOffset, LayerAdapter adapter, KvCache cache) {
        NDArray logits = lmHead(hiddenStates(ids, positionOffset, adapter, cache));
        return logits.getDataType() == DataType.FLOAT16 ? DifferentiableCast.to(logits, DataType.FLOAT32) : logits;
    }

    /** The LM head on final-normed hidden states [.., hidden]: logits [.., vocab] in the compute dtype. */
    public NDArray lmHead(NDArray hidden) {
        return LayerAdapter.linear(hidden, weights.lmHead());
    }

    /** Final-normed hidden states [batch, tokens, hidden]. */
    public NDArray hiddenStates(NDArray ids, long positionOffset, LayerAdapter adapter, KvCache cache) {
        if (ids.getShape().dimension() != 2) {
            throw new IllegalArgumentException("ids must be [batch, tokens], got " + ids.getShape());
        }
        NDManager scope = ids.getManager();
        long tokens = ids.getShape().get(1);
        long past = cache == null ? 0 : cache.length();
        long offset = cache == null ? positionOffset : past;
        NDArray x = weights.embedTokens().get(ids);
        x.attach(scope);
        adapter.beginForward(scope, x.getDataType());
        NDList tables = constants.ropeTables(x, offset, tokens);
        NDArray mask = constants.mask(scope, tokens, past, x.getDataType());
        float eps = (float) config.rmsNormEps();
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            LayerWeights w = weights.layers().get(i);
            // a layer's intermediates are freed when it ends; autograd keeps (by reference) what backward needs
            try (NDManager layerScope = scope.newSubManager()) {
                NDArray in = Scoped.use(x, layerScope);
                NDArray attended = attention.forward(i, w, RmsNorm.apply(in, w.inputNorm(), eps), tables, mask,
                        adapter, cache);
                NDArray h = in.add(attended);
                NDArray out = h.add(SwiGluMlp.forward(i, w, RmsNorm.apply(h, w.postAttentionNorm(), eps), adapter));
                out.attach(scope);
                x = out;
            }
        }
        return RmsNorm.apply(x, weights.finalNorm(), eps);
    }

    /** Number of frozen parameters (the LM head counted once when tied). */
    public long parameterCount() {
        long n = weights.embedTokens().size() + weights.finalNorm().size();
        if (weights.lmHead() != weights.embedTokens()) {
            n += weights.lmHead().size();
        }
        for (LayerWeights w : weights.layers()) {
            for (NDArray a : new NDArray[] {w.inputNorm(), w.qProj(), w.kProj(), w.vProj(), w.oProj(), w.qNorm(),
                    w.kNorm(), w.postAttentionNorm(), w.gateProj(), w.upProj(), w.downProj()}) {
                n += a.size();
            }
        }
        return n;
    }

    @Override
    public void close() {
        manager.close();
    }
}
