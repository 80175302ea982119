package org.locasbench.harness.ttt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.locasbench.harness.protocol.Window;
import org.locasbench.harness.protocol.Window.Geometry;
import org.locasbench.harness.protocol.WindowScorer;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.GradientScope;
import org.locasbench.model.adapter.Scoped;
import org.locasbench.model.adapter.TrainableAdapter;
import org.locasbench.model.adapter.TrainingStep;
import org.locasbench.model.engine.CudaGraph;
import org.locasbench.model.engine.FusedOps;
import org.locasbench.model.engine.TorchOps;

/**
 * The fast path's NTP training step ({@code FastPath.Lever.CUDA_GRAPH}): forward with the window's per-token NLL
 * (the score), backward, the fused AdamW update and the parameters' finiteness check, captured once per window shape
 * as one CUDA graph and replayed for every later step of that shape. The first step of a shape runs eagerly (the
 * warm-up that makes the gradients, moments, constants and cuBLAS workspaces the capture then reuses; with several
 * steps per window the capture can thus happen at the first window's second step). Per replay
 * the host only copies the window's ids into the graph's input and reads back the NLL, the loss and two flags, so a
 * window costs one launch instead of thousands of kernel calls through JNI.
 *
 * <p>A non-finite loss skips the update inside the graph (the fused kernel's {@code found_inf}, as GradScaler does), so
 * the NaN policy acts exactly as on the eager path. Shapes change only at the first window and a short last one; at
 * most {@link #MAX_GRAPHS} are kept. A capture the libtorch side refuses is reported once and the run goes on eagerly.
 */
final class GraphedStep implements AutoCloseable {
    static final int MAX_GRAPHS = 2;

    /** What one replay computed: the step's loss, the score (when asked), whether the update was skipped. */
    record Outcome(double loss, float[] nll, boolean skipped, boolean parametersFinite) {}

    /** A captured step and the arrays it reads and writes (alive as long as the graph). */
    private static final class Captured implements AutoCloseable {
        final NDManager home;
        final List<NDArray> parameters;
        NDArray ids;
        NDArray nll;
        NDArray loss;
        NDArray skipped;
        NDArray nonFiniteParameters;
        CudaGraph graph;

        Captured(NDManager home, List<NDArray> parameters) {
            this.home = home;
            this.parameters = parameters;
        }

        @Override
        public void close() {
            if (graph != null) {
                graph.close();
            }
            home.close();
        }
    }

    private final Qwen3Model model;
    private final TrainableAdapter adapter;
    private final AdamW optimizer;
    /** Whether the adapter draws (dropout) as a stream per step: each replay then runs seeded with the step's key. */
    private final boolean streamDraws;
    private final Map<Geometry, Integer> seen = new HashMap<>();
    private final Map<Geometry, Captured> graphs = new HashMap<>();
    private boolean disabled;
    private int replays;

    GraphedStep(Qwen3Model model, TrainableAdapter adapter, AdamW optimizer, boolean streamDraws) {
        this.model = model;
        this.adapter = adapter;
        this.optimizer = optimizer;
        this.streamDraws = streamDraws;
    }

    /**
     * One training step of {@code window} through its graph (captured now if this is the shape's second window), or
     * null when the step must run eagerly: the shape's first window, too many shapes, parameters whose update counts
     * differ, or captures switched off after a failure.
     */
    Outcome run(long[] ids, Window window, TrainingStep step, double lrScale, boolean readScore) {
        if (disabled) {
            return null;
        }
        List<NDArray> parameters = adapter.parameters();
        Geometry shape = window.geometry();
        Captured c = graphs.get(shape);
        if (c != null && !sameArrays(c.parameters, parameters)) { // the adapter changed (grew): capture again
            graphs.remove(shape).close();
            c = null;
        }
        if (c == null) {
            if (seen.merge(shape, 1, Integer::sum) < 2 || graphs.size() >= MAX_GRAPHS || parameters.isEmpty()
                    || !optimizer.uniformSteps(parameters)) {
                return null;
            }
            optimizer.prepareFused(parameters, lrScale); // the device step, lr and moments exist before the capture
            c = capture(shape, window, step, parameters);
            if (c == null) {
                return null;
            }
            graphs.put(shape, c);
        }
        FusedOps.copyInto(c.ids, Arrays.copyOfRange(ids, window.contextStart(), window.end())); // same storage
        optimizer.prepareFused(parameters, lrScale);
        if (!streamDraws) {
            c.graph.replay();
        } else { // the recorded draws (dropout) follow the generator's seed at the replay: this step's stream key
            CudaGraph graph = c.graph;
            TorchOps.seeded(step.streamKey(), () -> {
                graph.replay();
                return null;
            });
        }
        replays++;
        float[] nll = readScore ? c.nll.toFloatArray() : null;
        double loss = c.loss.getFloat();
        boolean skipped = c.skipped.getFloat() != 0;
        boolean finite = c.nonFiniteParameters.getFloat() == 0;
        optimizer.fusedDone(parameters, skipped);
        return new Outcome(loss, nll, skipped, finite);
    }

    /** Steps run by replaying a graph so far. */
    int replays() {
        return replays;
    }

    private Captured capture(Geometry shape, Window window, TrainingStep step, List<NDArray> parameters) {
        Captured c = new Captured(model.manager().newSubManager(), List.copyOf(parameters));
        c.ids = c.home.zeros(new ai.djl.ndarray.types.Shape(1, shape.length()), DataType.INT64);
        try {
            c.graph = CudaGraph.capture(() -> body(c, window, step));
            return c;
        } catch (CudaGraph.CaptureFailed e) {
            System.err.println("warning: " + e.getMessage() + "; the training steps run eagerly from here on");
            disabled = true;
            c.close();
            parameters.forEach(org.locasbench.model.engine.TorchOps::zeroGrad);
            return null;
        }
    }

    /**
     * What the graph holds: the same forward, loss and backward as the eager step, then the device-side update. The
     * adapter's draws (dropout) are recorded as draws from the generator, placed as the eager stream step places them.
     */
    private void body(Captured c, Window window, TrainingStep step) {
        adapter.beginStreamStep(step);
        try (NDManager scope = model.manager().newSubManager(); GradientScope gc = GradientScope.recording()) {
            NDArray input = Scoped.use(c.ids, scope); // the forward's intermediates belong to scope, not to c.home
            NDArray nll = WindowScorer.scoredNll(model, adapter, input, window);
            NDArray loss = nll.mean();
            NDArray skipped = nonFinite(loss);
            gc.backward(loss);
            optimizer.fusedUpdate(c.parameters, skipped);
            adapter.afterOptimizerStep();
            c.nll = keep(nll.stopGradient(), c);
            c.loss = keep(loss.stopGradient(), c);
            c.skipped = keep(skipped, c);
            c.nonFiniteParameters = keep(nonFinite(TestTimeTrainer.parameterTotal(c.parameters, scope)), c);
        }
    }

    /** 1 where the 0-d {@code x} is NaN or Inf, else 0, as a 0-d float (what the fused update's found_inf takes). */
    private static NDArray nonFinite(NDArray x) {
        return x.isNaN().logicalOr(x.isInfinite()).toType(DataType.FLOAT32, false);
    }

    private static NDArray keep(NDArray a, Captured c) {
        a.attach(c.home);
        return a;
    }

    private static boolean sameArrays(List<NDArray> a, List<NDArray> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        graphs.values().forEach(Captured::close);
        graphs.clear();
    }
}
