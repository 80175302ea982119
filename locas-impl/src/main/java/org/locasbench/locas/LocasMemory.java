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
 */
public final class LocasMemory implements TrainableAdapter {
    private final NDManager manager;
    private final List<MemoryLayer> layers;
    private final MemoryInfo info;

    /** Takes ownership of the layers' arrays (moved into the memory's own manager) and marks them trainable. */
    public LocasMemory(NDManager parent, List<MemoryLayer> layers, MemoryInfo info) {
        this.manager = parent.newSubManager();
        this.layers = List.copyOf(layers);
        for (MemoryLayer l : this.layers) {
            for (NDArray w : List.of(l.gate(), l.key(), l.value())) {
                w.attach(manager);
                w.setRequiresGradient(true);
            }
        }
        this.info = info;
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
        NDArray stacked = NDArrays.stack(new NDList(layers.stream().map(part).toList()));
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
        return frozenOutput.add(LocasEquations.sidecar(a, g, k, v, layers.get(layer).tau()));
    }

    private static NDArray layerOf(NDArray stacked, int layer, NDArray like) {
        NDArray view = stacked.get(layer);
        view.attach(like.getManager());
        return view;
    }

    @Override
    public List<NDArray> parameters() {
        List<NDArray> all = new ArrayList<>();
        for (MemoryLayer l : layers) {
            all.add(l.gate());
            all.add(l.key());
            all.add(l.value());
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
        return layers.size();
    }

    public int width() {
        return info.width();
    }

    public MemoryInfo info() {
        return info;
    }

    public MemoryLayer layer(int layer) {
        return layers.get(layer);
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
