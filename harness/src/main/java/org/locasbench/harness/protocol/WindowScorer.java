package org.locasbench.harness.protocol;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.locasbench.model.Nll;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.GradientScope;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.engine.FastPath;
import org.locasbench.model.engine.FusedOps;

/** Per-token NLL of a window's new tokens, given its context, with whatever adapter is attached. */
public final class WindowScorer {
    private WindowScorer() {}

    /** NLL of positions window.firstScored() .. window.end()-1; all native memory is freed before returning. */
    public static float[] score(Qwen3Model model, LayerAdapter adapter, long[] ids, Window window) {
        try (NDManager scope = model.manager().newSubManager(); GradientScope off = GradientScope.paused()) {
            NDArray input = inputIds(scope, ids, window);
            NDArray nll = scoredNll(model, adapter, input, window);
            return nll.toFloatArray();
        }
    }

    /** Per-token NLL of positions 1..n-1 of the whole sequence, window by window; {@code afterWindow} sees each. */
    public static float[] scoreAll(Qwen3Model model, LayerAdapter adapter, long[] ids, java.util.List<Window> plan,
            java.util.function.Consumer<Window> afterWindow) {
        float[] nll = new float[ids.length - 1];
        for (Window w : plan) {
            float[] part = score(model, adapter, ids, w);
            System.arraycopy(part, 0, nll, w.firstScored() - 1, part.length);
            afterWindow.accept(w);
        }
        return nll;
    }

    public static double mean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    public static NDArray inputIds(NDManager scope, long[] ids, Window window) {
        long[] slice = Arrays.copyOfRange(ids, window.contextStart(), window.end());
        return scope.create(slice, new Shape(1, slice.length));
    }

    /**
     * [scoredTokens] NLL for the window's new tokens; differentiable with respect to the adapter's parameters.
     * Positions restart at 0 for every window (RoPE is relative, so only the distance to the context matters).
     */
    public static NDArray scoredNll(Qwen3Model model, LayerAdapter adapter, NDArray input, Window window) {
        NDArray hidden = model.hiddenStates(input, 0, adapter, null);
        // hidden[j] predicts position contextStart + j + 1; the LM head runs only where an NLL is reported
        long from = window.firstScored() - window.contextStart() - 1;
        long length = input.getShape().get(1);
        NDArray scored = hidden.get(":, " + from + ":" + (length - 1) + ", :");
        NDArray targets = input.get(":, " + (from + 1) + ":");
        if (FastPath.on(FastPath.Lever.LINEAR_NLL, input.getDevice())) {
            return FusedOps.linearNll(scored.get(0), model.weights().lmHead(), targets.get(0));
        }
        return Nll.ofTargets(model.lmHead(scored), targets).get("0, :");
    }
}
