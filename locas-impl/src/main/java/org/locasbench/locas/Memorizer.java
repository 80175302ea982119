package org.locasbench.locas;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.locasbench.model.ModelFingerprint;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.nn.LayerWeights;
import org.locasbench.model.nn.SwiGluMlp;

/**
 * {@code memorize(ids, keep_top=r, init)}: one frozen forward over the ids, per-layer neuron importance, and a fresh
 * memory whose G and K start from the chosen neurons' (unit-normalised) gate and up rows and whose V is zero, so the
 * model's output is unchanged until training moves V.
 */
public final class Memorizer {
    private Memorizer() {}

    /** Per-layer importance {@code alpha_j = mean_t |silu(W_gate a) * (W_up a)|_j} of the frozen MLP neurons. */
    public static float[][] importance(Qwen3Model model, long[] ids) {
        int layers = model.config().numHiddenLayers();
        float[][] alpha = new float[layers][];
        LayerAdapter probe = new LayerAdapter() {
            @Override
            public NDArray mlpOutput(int layer, NDArray a, NDArray frozenOutput) {
                alpha[layer] = LocasEquations.importance(SwiGluMlp.intermediate(model.layer(layer), a)).toFloatArray();
                return frozenOutput;
            }
        };
        try (NDManager scope = model.manager().newSubManager()) {
            model.hiddenStates(scope.create(ids, new Shape(1, ids.length)), 0, probe, null);
        }
        return alpha;
    }

    /** Indices of the neurons a strategy picks from importance {@code alpha} (not used by RANDOM). */
    public static int[] select(float[] alpha, int width, InitStrategy init, Random random) {
        int m = alpha.length;
        if (width < 1 || width > m) {
            throw new IllegalArgumentException("memory width must be in 1.." + m + " (the MLP's intermediate size), got "
                    + width);
        }
        return switch (init) {
            case HIGHEST -> IntStream.range(0, m).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(j -> -alpha[j]).thenComparingInt(j -> j))
                    .limit(width).mapToInt(Integer::intValue).toArray();
            case LOWEST -> IntStream.range(0, m).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(j -> alpha[j]).thenComparingInt(j -> j))
                    .limit(width).mapToInt(Integer::intValue).toArray();
            case RANDOM_INDEX -> {
                int[] all = IntStream.range(0, m).toArray();
                for (int i = 0; i < width; i++) { // partial Fisher-Yates: the first `width` slots are a uniform draw
                    int j = i + random.nextInt(m - i);
                    int t = all[i];
                    all[i] = all[j];
                    all[j] = t;
                }
                yield java.util.Arrays.copyOf(all, width);
            }
            case RANDOM, NORMALIZED_ACTIVATION -> new int[0];
        };
    }

    /** The token positions NORMALIZED_ACTIVATION keys on: r of T, evenly spaced, {@code floor((i + 1/2) T / r)}. */
    public static long[] activationPositions(int tokens, int width) {
        if (width > tokens) {
            throw new IllegalArgumentException("init normalized_activation keys one memory row on one token: width "
                    + width + " needs at least that many tokens in the memorized window, got " + tokens
                    + " (use a larger window or a smaller locas.width)");
        }
        long[] positions = new long[width];
        for (int i = 0; i < width; i++) {
            positions[i] = (long) Math.floor((i + 0.5) * tokens / width);
        }
        return positions;
    }

    /** Per layer, the unit-normalised MLP inputs at {@link #activationPositions}: [r * d] each, fp32. */
    public static float[][] normalizedActivations(Qwen3Model model, long[] ids, int width) {
        int layers = model.config().numHiddenLayers();
        int d = model.config().hiddenSize();
        long[] positions = activationPositions(ids.length, width);
        float[][] rows = new float[layers][];
        LayerAdapter probe = new LayerAdapter() {
            @Override
            public NDArray mlpOutput(int layer, NDArray a, NDArray frozenOutput) {
                NDArray flat = a.reshape(-1, d);
                NDArray picked = flat.get(flat.getManager().create(positions));
                rows[layer] = unitRows(picked.toType(DataType.FLOAT32, false).toFloatArray(), d);
                return frozenOutput;
            }
        };
        try (NDManager scope = model.manager().newSubManager()) {
            model.hiddenStates(scope.create(ids, new Shape(1, ids.length)), 0, probe, null);
        }
        return rows;
    }

    /**
     * The random strategies draw from a {@code java.util.Random(seed)} of this call alone (layers in order), never from
     * a generator shared with other threads, so workers memorizing at the same time get what one worker would.
     */
    public static LocasMemory memorize(Qwen3Model model, long[] ids, int width, InitStrategy init, long seed,
            Clipping clipping) {
        int layers = model.config().numHiddenLayers();
        int d = model.config().hiddenSize();
        Rows rows = rows(model, ids, width, init, new Random(seed), layer -> java.util.Set.of());
        List<MemoryLayer> memory = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            memory.add(new MemoryLayer(rows.gate().get(i), rows.key().get(i),
                    model.manager().zeros(new Shape(width, d), model.precision().masterType()),
                    LocasEquations.tau(model.layer(i).downProj(), width)));
        }
        MemoryInfo info = new MemoryInfo(model.directory().toString(), ModelFingerprint.of(model.directory()), d,
                layers, width, init, clipping, seed);
        return new LocasMemory(model.manager(), memory, info, rows.neurons());
    }

    /**
     * Expandable memory: {@code rows} more rows per layer chosen by the memory's strategy from {@code newestIds} (the
     * newest window), never a frozen neuron the memory already holds, with cloned G and K and V = 0 (the model's
     * output does not change), appended as a new block after window {@code window}. Random draws come from
     * {@code Random(seed + number of growth steps so far + 1)}, so a resumed run grows the same way.
     */
    public static void grow(Qwen3Model model, LocasMemory memory, long[] newestIds, int rows, int window) {
        MemoryInfo info = memory.info();
        if (info.init().clonesNeurons() && memory.clonedNeuronsByBlock().contains(null)) {
            throw new IllegalStateException("this memory does not record which frozen neurons its rows were cloned "
                    + "from (it was loaded from a file), so growing it could clone them again; grow a memory made by "
                    + "memorize in the same run");
        }
        int d = model.config().hiddenSize();
        Random random = new Random(info.seed() + info.growth().size() + 1);
        Rows picked = rows(model, newestIds, rows, info.init(), random, memory::clonedNeurons);
        List<MemoryLayer> block = new ArrayList<>();
        for (int i = 0; i < info.layers(); i++) {
            block.add(new MemoryLayer(picked.gate().get(i), picked.key().get(i),
                    model.manager().zeros(new Shape(rows, d), model.precision().masterType()), Float.NaN));
        }
        memory.grow(block, picked.neurons(), window);
    }

    /** G and K rows per layer ([r, d], the master dtype) and the frozen neurons they came from (null if none). */
    private record Rows(List<NDArray> gate, List<NDArray> key, int[][] neurons) {}

    private static Rows rows(Qwen3Model model, long[] ids, int width, InitStrategy init, Random random,
            java.util.function.IntFunction<java.util.Set<Integer>> exclude) {
        int layers = model.config().numHiddenLayers();
        int d = model.config().hiddenSize();
        float[][] alpha = init.clonesNeurons() ? importance(model, ids) : null;
        float[][] activations = init == InitStrategy.NORMALIZED_ACTIVATION ? normalizedActivations(model, ids, width)
                : null;
        DataType type = model.precision().masterType();
        NDManager m = model.manager();
        List<NDArray> gates = new ArrayList<>();
        List<NDArray> keys = new ArrayList<>();
        int[][] neurons = alpha == null ? null : new int[layers][];
        for (int i = 0; i < layers; i++) {
            LayerWeights w = model.layer(i);
            float[] g;
            float[] k;
            if (init == InitStrategy.RANDOM) {
                g = gaussian(random, width * d, 1.0 / Math.sqrt(d));
                k = gaussian(random, width * d, 1.0 / Math.sqrt(d));
            } else if (init == InitStrategy.NORMALIZED_ACTIVATION) {
                g = activations[i];
                k = activations[i];
            } else {
                int[] picked = selectExcluding(alpha[i], width, init, random, exclude.apply(i));
                neurons[i] = picked;
                g = unitRows(rows(w.gateProj(), picked), d);
                k = unitRows(rows(w.upProj(), picked), d);
            }
            gates.add(m.create(g, new Shape(width, d)).toType(type, false));
            keys.add(m.create(k, new Shape(width, d)).toType(type, false));
        }
        return new Rows(gates, keys, neurons);
    }

    /**
     * {@link #select} among the neurons not in {@code held}: the strategy ranks (or draws from) only those, and the
     * indices returned are the frozen MLP's.
     */
    public static int[] selectExcluding(float[] alpha, int width, InitStrategy init, Random random,
            java.util.Set<Integer> held) {
        if (held.isEmpty()) {
            return select(alpha, width, init, random);
        }
        int[] free = IntStream.range(0, alpha.length).filter(j -> !held.contains(j)).toArray();
        if (width > free.length) {
            throw new IllegalArgumentException("cannot grow the memory by " + width + " rows: only " + free.length
                    + " of the MLP's " + alpha.length + " neurons are not in it yet (lower locas.maxWidth)");
        }
        float[] sub = new float[free.length];
        for (int i = 0; i < free.length; i++) {
            sub[i] = alpha[free[i]];
        }
        int[] local = select(sub, width, init, random);
        int[] picked = new int[local.length];
        for (int i = 0; i < local.length; i++) {
            picked[i] = free[local[i]];
        }
        return picked;
    }

    private static float[] rows(NDArray weight, int[] picked) {
        try (NDManager scope = weight.getManager().newSubManager()) {
            NDArray idx = scope.create(java.util.Arrays.stream(picked).asLongStream().toArray());
            NDArray selected = weight.get(idx);
            selected.attach(scope);
            return selected.toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    private static float[] unitRows(float[] rows, int d) {
        float[] out = new float[rows.length];
        for (int r = 0; r < rows.length / d; r++) {
            double norm = 0;
            for (int c = 0; c < d; c++) {
                norm += (double) rows[r * d + c] * rows[r * d + c];
            }
            norm = Math.sqrt(norm);
            for (int c = 0; c < d; c++) {
                out[r * d + c] = (float) (rows[r * d + c] / norm);
            }
        }
        return out;
    }

    private static float[] gaussian(Random random, int n, double std) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (random.nextGaussian() * std);
        }
        return out;
    }
}
