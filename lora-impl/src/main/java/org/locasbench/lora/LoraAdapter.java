package org.locasbench.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.adapter.Projection;
import org.locasbench.model.adapter.DifferentiableCast;
import org.locasbench.model.adapter.Scoped;
import org.locasbench.model.adapter.TrainableAdapter;
import org.locasbench.model.adapter.TrainingStep;
import org.locasbench.model.config.Qwen3Config;
import org.locasbench.model.engine.TorchOps;

/**
 * LoRA on a frozen Qwen3 through the {@code project} hook: for every targeted projection of every layer,
 * {@code y = W x + (alpha / r) B (A dropout(x))} with A [r, in] Kaiming-uniform (a = sqrt 5, i.e. U(-1/sqrt(in),
 * 1/sqrt(in))) and B [out, r] zero, so a fresh adapter leaves the model unchanged.
 */
public final class LoraAdapter implements TrainableAdapter {
    private final NDManager manager;
    private final LoraConfig config;
    private final List<Map<Projection, LoraPair>> layers = new ArrayList<>();
    /** The step being trained, null when scoring. */
    private TrainingStep step;
    /** Dropout draws so far in this step, per (layer, projection). */
    private int[] draws;
    /** Whether this step's draws are one stream (a CUDA device's step: {@link #beginStreamStep}). */
    private boolean streamDraws;

    private LoraAdapter(NDManager parent, LoraConfig config) {
        this.manager = parent.newSubManager();
        this.config = config;
    }

    /** A fresh adapter (B = 0) for {@code model}, A drawn with the config's seed. */
    public static LoraAdapter create(Qwen3Model model, LoraConfig config) {
        requireRankFits(model, config);
        LoraAdapter adapter = new LoraAdapter(model.manager(), config);
        Random random = new Random(config.seed());
        DataType type = model.precision().masterType();
        for (int i = 0; i < model.config().numHiddenLayers(); i++) {
            Map<Projection, LoraPair> pairs = new EnumMap<>(Projection.class);
            for (Projection p : Projection.values()) {
                if (!config.targets().contains(p)) {
                    continue;
                }
                long[] shape = model.layer(i).projection(p).getShape().getShape(); // [out, in]
                int out = (int) shape[0];
                int in = (int) shape[1];
                float[] a = new float[config.rank() * in];
                double bound = 1.0 / Math.sqrt(in);
                for (int k = 0; k < a.length; k++) {
                    a[k] = (float) ((random.nextDouble() * 2 - 1) * bound);
                }
                pairs.put(p, new LoraPair(
                        adapter.adopt(model.manager().create(a, new Shape(config.rank(), in)).toType(type, false)),
                        adapter.adopt(model.manager().zeros(new Shape(out, config.rank()), type))));
            }
            adapter.layers.add(pairs);
        }
        return adapter;
    }

    /**
     * A rank above min(in, out) of a targeted projection adds parameters and no expressiveness (B A has rank at most
     * min(in, out)): refused, naming the smallest targeted projection and the bound.
     */
    static void requireRankFits(Qwen3Model model, LoraConfig config) {
        Projection smallest = null;
        long bound = Long.MAX_VALUE;
        for (Projection p : config.targets()) {
            long[] shape = model.layer(0).projection(p).getShape().getShape();
            long b = Math.min(shape[0], shape[1]);
            if (b < bound) {
                bound = b;
                smallest = p;
            }
        }
        if (config.rank() > bound) {
            long[] shape = model.layer(0).projection(smallest).getShape().getShape();
            throw new IllegalArgumentException("LoRA rank " + config.rank() + " exceeds min(in, out) = " + bound
                    + " of " + smallest.shortName() + " " + java.util.Arrays.toString(shape) + " [out, in], the "
                    + "smallest targeted projection of " + model.directory() + "; use a rank of at most " + bound
                    + " (--rank; run: --set lora.rank=N)");
        }
    }

    /**
     * An adapter with given lora_A [r, in] and lora_B [out, r] per (layer, projection), e.g. read from a PEFT file;
     * takes ownership of the arrays, converted to the model's master dtype.
     */
    static LoraAdapter of(Qwen3Model model, LoraConfig config, List<Map<Projection, LoraPair>> weights) {
        LoraAdapter adapter = new LoraAdapter(model.manager(), config);
        DataType type = model.precision().masterType();
        for (Map<Projection, LoraPair> layer : weights) {
            Map<Projection, LoraPair> pairs = new EnumMap<>(Projection.class);
            layer.forEach((p, w) -> pairs.put(p, new LoraPair(adapter.adopt(w.loraA().toType(type, false)),
                    adapter.adopt(w.loraB().toType(type, false)))));
            adapter.layers.add(pairs);
        }
        return adapter;
    }

    private NDArray adopt(NDArray a) {
        a.attach(manager);
        a.setRequiresGradient(true);
        return a;
    }

    @Override
    public NDArray project(int layer, Projection projection, NDArray x, NDArray weight) {
        NDArray base = LayerAdapter.linear(x, weight);
        LoraPair pair = layers.get(layer).get(projection);
        if (pair == null) {
            return base;
        }
        NDArray input = step != null && config.dropout() > 0 ? dropout(layer, projection, x) : x;
        NDArray a = Scoped.use(pair.loraA(), x);
        NDArray b = Scoped.use(pair.loraB(), x);
        a = DifferentiableCast.to(a, x.getDataType());
        b = DifferentiableCast.to(b, x.getDataType());
        NDArray delta = LayerAdapter.linear(LayerAdapter.linear(input, a), b);
        return base.add(delta.mul(Scoped.scalar(delta, config.scaling())));
    }

    /** Only without dropout: with it, a training forward draws masks that scoring never applies. */
    @Override
    public boolean trainsOnTheScoringForward() {
        return config.dropout() == 0;
    }

    /**
     * PEFT's lora_dropout on the adapter's input; the mask is keyed by the step and the draw's place in it, or (a
     * stream step) is the generator's next draw, which the caller seeded with the step's stream key.
     */
    private NDArray dropout(int layer, Projection projection, NDArray x) {
        if (streamDraws) {
            return TorchOps.dropoutNextDraw(x, config.dropout());
        }
        int draw = draws[layer * Projection.values().length + projection.ordinal()]++;
        return TorchOps.dropout(x, config.dropout(), step.key(layer, projection, draw));
    }

    @Override
    public void beginStep(TrainingStep step) {
        begin(step, false);
    }

    @Override
    public void beginStreamStep(TrainingStep step) {
        begin(step, true);
    }

    private void begin(TrainingStep step, boolean stream) {
        this.step = step;
        this.streamDraws = stream;
        this.draws = new int[layers.size() * Projection.values().length];
    }

    @Override
    public void endTraining() {
        step = null;
    }

    @Override
    public List<NDArray> parameters() {
        List<NDArray> all = new ArrayList<>();
        for (Map<Projection, LoraPair> layer : layers) {
            for (LoraPair pair : layer.values()) {
                all.add(pair.loraA());
                all.add(pair.loraB());
            }
        }
        return all;
    }

    public LoraConfig config() {
        return config;
    }

    public int layers() {
        return layers.size();
    }

    /** lora_A [r, in] and lora_B [out, r] of one targeted projection, or null. */
    public LoraPair pair(int layer, Projection projection) {
        return layers.get(layer).get(projection);
    }

    /** The paper's approximation of LoRA's size on all seven projections: 20 L d r (with m = 3d, GQA ignored). */
    public static long paperApproximation(Qwen3Config c, int rank) {
        return 20L * c.numHiddenLayers() * c.hiddenSize() * rank;
    }

    @Override
    public void close() {
        manager.close();
    }
}
