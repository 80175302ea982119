package org.locasbench.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
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
import org.locasbench.model.config.Qwen3Config;

/**
 * LoRA on a frozen Qwen3 through the {@code project} hook: for every targeted projection of every layer,
 * {@code y = W x + (alpha / r) B (A dropout(x))} with A [r, in] Kaiming-uniform (a = sqrt 5, i.e. U(-1/sqrt(in),
 * 1/sqrt(in))) and B [out, r] zero, so a fresh adapter leaves the model unchanged.
 */
public final class LoraAdapter implements TrainableAdapter {
    private final NDManager manager;
    private final LoraConfig config;
    private final List<Map<Projection, NDArray[]>> layers = new ArrayList<>();
    private boolean training;

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
            Map<Projection, NDArray[]> pair = new EnumMap<>(Projection.class);
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
                pair.put(p, new NDArray[] {
                    adapter.adopt(model.manager().create(a, new Shape(config.rank(), in)).toType(type, false)),
                    adapter.adopt(model.manager().zeros(new Shape(out, config.rank()), type))});
            }
            adapter.layers.add(pair);
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
                    + " (--rank; run: --set loraRank=N)");
        }
    }

    /** An adapter with given A [r, in] and B [out, r] per (layer, projection), e.g. read from a PEFT file. */
    static LoraAdapter of(Qwen3Model model, LoraConfig config, List<Map<Projection, float[][]>> weights) {
        LoraAdapter adapter = new LoraAdapter(model.manager(), config);
        DataType type = model.precision().masterType();
        for (int i = 0; i < weights.size(); i++) {
            Map<Projection, NDArray[]> pair = new EnumMap<>(Projection.class);
            for (Map.Entry<Projection, float[][]> e : weights.get(i).entrySet()) {
                long[] shape = model.layer(i).projection(e.getKey()).getShape().getShape();
                pair.put(e.getKey(), new NDArray[] {
                    adapter.adopt(model.manager().create(e.getValue()[0], new Shape(config.rank(), shape[1]))
                            .toType(type, false)),
                    adapter.adopt(model.manager().create(e.getValue()[1], new Shape(shape[0], config.rank()))
                            .toType(type, false))});
            }
            adapter.layers.add(pair);
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
        NDArray[] ab = layers.get(layer).get(projection);
        if (ab == null) {
            return base;
        }
        NDArray input = training && config.dropout() > 0
                ? Dropout.dropout(x, (float) config.dropout(), true).singletonOrThrow() : x;
        NDArray a = Scoped.use(ab[0], x);
        NDArray b = Scoped.use(ab[1], x);
        a = DifferentiableCast.to(a, x.getDataType());
        b = DifferentiableCast.to(b, x.getDataType());
        NDArray delta = LayerAdapter.linear(LayerAdapter.linear(input, a), b);
        return base.add(delta.mul(Scoped.scalar(delta, config.scaling())));
    }

    @Override
    public void training(boolean on) {
        training = on;
    }

    @Override
    public List<NDArray> parameters() {
        List<NDArray> all = new ArrayList<>();
        for (Map<Projection, NDArray[]> layer : layers) {
            for (NDArray[] ab : layer.values()) {
                all.add(ab[0]);
                all.add(ab[1]);
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

    /** A [r, in] and B [out, r] of one targeted projection, or null. */
    public NDArray[] pair(int layer, Projection projection) {
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
