package org.locasbench.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.adapter.Projection;
import org.locasbench.model.engine.FastPath;
import org.locasbench.model.engine.FusedOps;

/** Qwen3's feed-forward: {@code W_down (silu(W_gate a) * (W_up a))}, its output passed through the adapter hook. */
public final class SwiGluMlp {
    private SwiGluMlp() {}

    public static NDArray forward(int layer, LayerWeights w, NDArray a, LayerAdapter adapter) {
        NDArray gate = adapter.project(layer, Projection.GATE, a, w.gateProj());
        NDArray up = adapter.project(layer, Projection.UP, a, w.upProj());
        NDArray glu = FastPath.on(FastPath.Lever.SWIGLU, a.getDevice()) ? FusedOps.swiGlu(gate, up) : silu(gate).mul(up);
        NDArray frozen = adapter.project(layer, Projection.DOWN, glu, w.downProj());
        return adapter.mlpOutput(layer, a, frozen);
    }

    /** The GLU intermediate {@code silu(W_gate a) * (W_up a)} [.., m] of the frozen MLP (what Locas ranks neurons by). */
    public static NDArray intermediate(LayerWeights w, NDArray a) {
        return silu(LayerAdapter.linear(a, w.gateProj())).mul(LayerAdapter.linear(a, w.upProj()));
    }

    public static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }
}
