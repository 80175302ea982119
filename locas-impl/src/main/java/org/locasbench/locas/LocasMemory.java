package org.locasbench.locas;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.locasbench.model.adapter.DifferentiableCast;
import org.locasbench.model.adapter.Scoped;
import org.locasbench.model.adapter.TrainableAdapter;

/**
 * A Locas-GLU memory attached to every MLP of a frozen Qwen3: per layer trainable G, K, V [r, d] and a fixed tau
 * ({@link MemoryLayer}), added to the frozen MLP output through the {@code mlpOutput} hook (see
 * {@link LocasEquations}).
 *
 * <p>An expandable memory grows by blocks ({@link #grow}): each block holds its own rows of every layer as separate
 * trainable arrays (so an optimiser keeps the old rows' moments and step counts and starts the new rows' at zero); the
 * forward pass uses all blocks' rows concatenated, and tau stays the one memorize fixed.
 */
public final class LocasMemory implements TrainableAdapter {
    private final NDManager manager;
    /** blocks.get(b).get(layer): block 0 from memorize, one more per growth step. */
    private final List<List<MemoryLayer>> blocks = new ArrayList<>();
    /** The frozen neurons each block's rows were cloned from, per layer (null for model-free rows). */
    private final List<int[][]> neurons = new ArrayList<>();
    private MemoryInfo info;

    /** Takes ownership of the layers' arrays (moved into the memory's own manager) and marks them trainable. */
    public LocasMemory(NDManager parent, List<MemoryLayer> layers, MemoryInfo info) {
        this(parent, layers, info, null);
    }

    /** As above, recording which frozen neurons each layer's rows were cloned from ({@code neurons[layer]}). */
    public LocasMemory(NDManager parent, List<MemoryLayer> layers, MemoryInfo info, int[][] neurons) {
        this.manager = parent.newSubManager();
        this.info = info;
        addBlock(layers, neurons);
    }

    private void addBlock(List<MemoryLayer> layers, int[][] cloned) {
        for (MemoryLayer l : layers) {
            for (NDArray w : List.of(l.gate(), l.key(), l.value())) {
                w.attach(manager);
                w.setRequiresGradient(true);
            }
        }
        blocks.add(List.copyOf(layers));
        neurons.add(cloned);
    }

    /**
     * Appends {@code rows} (one {@link MemoryLayer} per layer, V = 0 so the output does not change; their tau is not
     * used) as a new block after window {@code window}; {@code cloned[layer]} names the frozen neurons they came from.
     */
    public void grow(List<MemoryLayer> rows, int[][] cloned, int window) {
        if (rows.size() != layers()) {
            throw new IllegalArgumentException(rows.size() + " layers of new rows for a memory of " + layers());
        }
        int added = (int) rows.get(0).gate().getShape().get(0);
        addBlock(rows, cloned);
        info = info.grown(window, added);
    }

    /** The frozen neurons of {@code layer} any block's rows were cloned from (to exclude them when growing). */
    public java.util.Set<Integer> clonedNeurons(int layer) {
        java.util.Set<Integer> held = new java.util.HashSet<>();
        for (int[][] n : neurons) {
            if (n != null) {
                for (int j : n[layer]) {
                    held.add(j);
                }
            }
        }
        return held;
    }

    /** Per block, the frozen neurons its rows came from ({@code [layer][row]}, null for model-free rows). */
    public List<int[][]> clonedNeuronsByBlock() {
        return java.util.Collections.unmodifiableList(neurons);
    }

    /** Rows per block (the first from memorize, then one per growth step). */
    public List<Integer> blockWidths() {
        return blocks.stream().map(b -> (int) b.get(0).gate().getShape().get(0)).toList();
    }

    /** This forward's G~, K~, V~ of all layers [L, r, d], clipped and in the compute dtype; see beginForward. */
    private record Prepared(NDManager scope, NDArray gate, NDArray key, NDArray value) {}

    private Prepared prepared;

    @Override
    public void beginForward(NDManager scope, DataType computeType) {
        prepared = new Prepared(scope, effectiveStack(MemoryLayer::gate, scope, computeType),
                effectiveStack(MemoryLayer::key, scope, computeType),
                effectiveStack(MemoryLayer::value, scope, computeType));
    }

    /** All layers' rows stacked [L, r, d] (one differentiable op), clipped as the forward uses them, cast. */
    private NDArray effectiveStack(Function<MemoryLayer, NDArray> part, NDManager scope, DataType computeType) {
        NDArray stacked = NDArrays.stack(new NDList(blocks.get(0).stream().map(part).toList()));
        if (blocks.size() > 1) { // rows of every block, in block order: [L, r_0 + r_1 + ..., d]
            NDList all = new NDList(stacked);
            for (List<MemoryLayer> block : blocks.subList(1, blocks.size())) {
                all.add(NDArrays.stack(new NDList(block.stream().map(part).toList())));
            }
            NDArray joined = NDArrays.concat(all, 1);
            all.forEach(a -> a.attach(scope));
            stacked = joined;
        }
        stacked.attach(scope);
        NDArray used = info.clipping() == Clipping.REPARAMETERIZE ? LocasEquations.clipRows(stacked) : stacked;
        // fp32 masters under fp16 compute: cast in a way the gradient crosses
        return DifferentiableCast.to(used, computeType);
    }

    @Override
    public NDArray mlpOutput(int layer, NDArray a, NDArray frozenOutput) {
        Prepared p = prepared;
        if (p == null || !p.scope().isOpen() || p.gate().getDataType() != a.getDataType()) {
            beginForward(a.getManager(), a.getDataType()); // called outside Qwen3Model's forward
            p = prepared;
        }
        NDArray g = layerOf(p.gate(), layer, a);
        NDArray k = layerOf(p.key(), layer, a);
        NDArray v = layerOf(p.value(), layer, a);
        return frozenOutput.add(LocasEquations.sidecar(a, g, k, v, blocks.get(0).get(layer).tau()));
    }

    private static NDArray layerOf(NDArray stacked, int layer, NDArray like) {
        NDArray view = stacked.get(layer);
        view.attach(like.getManager());
        return view;
    }

    @Override
    public List<NDArray> parameters() {
        List<NDArray> all = new ArrayList<>();
        for (List<MemoryLayer> block : blocks) {
            for (MemoryLayer l : block) {
                all.add(l.gate());
                all.add(l.key());
                all.add(l.value());
            }
        }
        return all;
    }

    /** With post-step projection: rows of G, K, V are scaled back onto the unit ball in place. */
    @Override
    public void afterOptimizerStep() {
        if (info.clipping() != Clipping.POST_STEP_PROJECTION) {
            return;
        }
        for (NDArray w : parameters()) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray norms = Scoped.use(w, scope).square().sum(new int[] {-1}, true).sqrt();
                w.divi(norms.maximum(Scoped.scalar(norms, 1.0)));
            }
        }
    }

    public int layers() {
        return blocks.get(0).size();
    }

    public int width() {
        return info.width();
    }

    public MemoryInfo info() {
        return info;
    }

    /**
     * One layer's memory at the full width. Of a memory that never grew these are the trainable arrays themselves;
     * after growth, copies of all blocks' rows concatenated (owned by the memory, for reading: saving, fusing).
     */
    public MemoryLayer layer(int layer) {
        MemoryLayer first = blocks.get(0).get(layer);
        if (blocks.size() == 1) {
            return first;
        }
        NDArray[] parts = new NDArray[3];
        for (int p = 0; p < 3; p++) {
            NDList rows = new NDList();
            for (List<MemoryLayer> block : blocks) {
                MemoryLayer l = block.get(layer);
                rows.add(p == 0 ? l.gate() : p == 1 ? l.key() : l.value());
            }
            parts[p] = NDArrays.concat(rows, 0);
            parts[p].attach(manager);
        }
        return new MemoryLayer(parts[0], parts[1], parts[2], first.tau());
    }

    /** The clipped rows actually used in the forward pass (what {@code to_dense} fuses), as fp32 [r*d] arrays. */
    public float[] effective(NDArray parameter) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray p = Scoped.use(parameter, scope);
            NDArray used = info.clipping() == Clipping.REPARAMETERIZE ? LocasEquations.clipRows(p) : p;
            return used.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
