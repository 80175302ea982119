package org.locasbench.harness.ttt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.locasbench.harness.protocol.Window;
import org.locasbench.harness.protocol.WindowScorer;
import org.locasbench.harness.ttt.grpo.GrpoWindow;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.GradientScope;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.adapter.Scoped;
import org.locasbench.model.adapter.TrainableAdapter;
import org.locasbench.model.adapter.TrainingStep;
import org.locasbench.model.engine.CudaGraph;
import org.locasbench.model.engine.FastPath;
import org.locasbench.model.engine.TorchOps;

/**
 * Trains an adapter (Locas memory or LoRA) on one window: {@code stepsPerWindow} AdamW steps on the configured loss,
 * gradients into the adapter only; the backbone is frozen and never copied.
 */
public final class TestTimeTrainer implements AutoCloseable {
    private final Qwen3Model model;
    private final TrainableAdapter adapter;
    private final TrainingConfig config;
    private final AdamW optimizer;
    private final long seed;
    private final NonFinitePolicy onNonFinite;
    private double lastFiniteLoss = Double.NaN;
    private int sampledTokens;
    /**
     * Whether training steps draw (dropout) as one stream per step seeded with its key ({@link
     * TrainableAdapter#beginStreamStep}): on CUDA devices with the native library's CUDA build (the fast path, whose
     * graphs replay such draws), so that an eager step and a replay of it draw the same masks; elsewhere every draw
     * has its own key. A stream step holds the generator lock for its whole forward (a per-draw key only per draw).
     */
    private final boolean streamDraws;
    /** The CUDA-graph step and the side stream it needs, when the fast path's graph lever applies; else null. */
    private final GraphedStep graphed;
    private final CudaGraph.SideStream stream;

    /** What to do when a window's loss is NaN/Inf. Non-finite parameters always stop the run. */
    public enum NonFinitePolicy {
        /** Throw {@link NonFiniteLossException}: no metrics are written. */
        STOP,
        /** Skip that window's update (the parameters are untouched) and go on; the window is flagged. */
        SKIP_WINDOW;

        /** {@code stop}, {@code skip_window} (or {@code skip}), any case. */
        @com.fasterxml.jackson.annotation.JsonCreator
        public static NonFinitePolicy parse(String name) {
            return switch (name == null ? "" : name.toLowerCase(java.util.Locale.ROOT)) {
                case "stop" -> STOP;
                case "skip", "skip_window" -> SKIP_WINDOW;
                default -> throw new IllegalArgumentException("'" + name + "' is not a NaN policy; use stop or "
                        + "skip_window");
            };
        }
    }

    public TestTimeTrainer(Qwen3Model model, TrainableAdapter adapter, TrainingConfig config) {
        this(model, adapter, config, 0, NonFinitePolicy.STOP);
    }

    public TestTimeTrainer(Qwen3Model model, TrainableAdapter adapter, TrainingConfig config, long seed,
            NonFinitePolicy onNonFinite) {
        this.model = model;
        this.adapter = adapter;
        this.config = config;
        this.optimizer = new AdamW(model.manager(), config);
        this.seed = seed;
        this.onNonFinite = onNonFinite;
        this.streamDraws = !adapter.trainsOnTheScoringForward() && model.manager().getDevice().isGpu()
                && FastPath.status().cuda();
        boolean graphs = config.loss() == LossKind.NTP
                && FastPath.on(FastPath.Lever.CUDA_GRAPH, model.manager().getDevice());
        this.stream = graphs ? new CudaGraph.SideStream(model.manager().getDevice()) : null;
        this.graphed = graphs ? new GraphedStep(model, adapter, optimizer, streamDraws) : null;
    }

    /**
     * Runs the window's optimiser steps; returns the loss of the last step (before its update), or NaN when the window
     * was skipped. Random draws (dropout) are keyed by (seed, window, step) through {@link TrainingStep}: each draw by
     * its own key, or (on the GPU fast path) the step's draws as one stream seeded with the step's key under a lock,
     * so workers training at the same time do not disturb each other and a resumed run draws the same masks.
     */
    public double train(long[] ids, Window window) {
        return train(ids, window, null);
    }

    /**
     * Whether the window's score is the first step's forward ({@link #train(long[], Window, Consumer)}): the loss is
     * NTP over exactly the scored tokens and the adapter's training forward equals its scoring forward.
     */
    public boolean scoresOnFirstStep() {
        return config.loss() == LossKind.NTP && adapter.trainsOnTheScoringForward();
    }

    /**
     * {@link #train(long[], Window)}; with {@code score} not null (only when {@link #scoresOnFirstStep()}), the first
     * step's forward is also the window's score: its per-token NLL, before any update, goes to {@code score} and its
     * mean is that step's loss, so the window needs no scoring pass of its own.
     */
    public double train(long[] ids, Window window, Consumer<float[]> score) {
        if (score != null && !scoresOnFirstStep()) {
            throw new IllegalStateException("the " + config.loss() + " step's forward is not the scoring forward");
        }
        double loss = Double.NaN;
        sampledTokens = 0;
        if (config.schedule().freshOptimizerPerWindow()) {
            optimizer.reset();
        }
        if (config.loss() == LossKind.GRPO && !GrpoWindow.trainable(window, config.grpo())) {
            System.err.println("warning: window " + window.index() + " has " + window.newTokens() + " new tokens, too "
                    + "few for GRPO's prompts and grpo.length " + config.grpo().length() + ": not trained");
            return Double.NaN;
        }
        try {
            for (int s = 0; s < config.stepsPerWindow(); s++) {
                GraphedStep.Outcome replayed = graphed == null ? null
                        : graphed.run(ids, window, new TrainingStep(seed, window.index(), s),
                                config.schedule().lrScale(window.index(), s), s == 0 && score != null);
                if (replayed != null) {
                    loss = afterReplay(replayed, window, s == 0 ? score : null);
                } else if (config.loss() == LossKind.GRPO) {
                    loss = grpoStep(ids, window, s);
                } else {
                    final int step = s;
                    loss = step(window, s, scope -> {
                        if (step == 0 && score != null) {
                            NDArray nll = WindowScorer.scoredNll(model, adapter, WindowScorer.inputIds(scope, ids,
                                    window), window);
                            score.accept(nll.toFloatArray());
                            return nll.mean();
                        }
                        return loss(scope, ids, window);
                    });
                }
                if (Double.isNaN(loss)) {
                    return loss;
                }
            }
        } finally {
            adapter.endTraining();
        }
        return loss;
    }

    /**
     * Training step {@code s} of a GRPO window: its groups sampled (sampling, pi_old and pi all run without dropout),
     * then {@code grpo.innerSteps} optimiser steps on them; the last step's loss, or NaN when one was skipped.
     */
    private double grpoStep(long[] ids, Window window, int s) {
        int inner = config.grpo().innerSteps();
        adapter.endTraining();
        GrpoWindow groups;
        try {
            groups = GrpoWindow.sample(model, adapter, ids, window, config.grpo(), new TrainingStep(seed,
                    window.index(), s));
        } catch (GrpoWindow.NonFiniteSample e) {
            return skipOrStop(e.getMessage() + " at window " + window.index() + ": update skipped",
                    new NonFiniteLossException(window.index(), Double.NaN, lastFiniteLoss, e.getMessage()));
        }
        double loss = Double.NaN;
        try (groups) {
            sampledTokens += groups.sampledTokens();
            for (int i = 0; i < inner; i++) {
                loss = step(window, s * inner + i, groups.objective(model, adapter), false);
                if (Double.isNaN(loss)) {
                    break; // skipped: no further inner steps on this window
                }
            }
        }
        return loss;
    }

    /** A graph replay's outcome under the same rules as an eager step: score first, then the NaN policy. */
    private double afterReplay(GraphedStep.Outcome o, Window window, Consumer<float[]> score) {
        if (score != null) {
            score.accept(o.nll());
        }
        if (o.skipped()) {
            return skipNonFiniteLoss(window, o.loss());
        }
        if (!o.parametersFinite()) {
            throw parametersBecameNonFinite(window, o.loss());
        }
        lastFiniteLoss = o.loss();
        return o.loss();
    }

    /** The NaN policy for a non-finite training loss {@code v} (the update is not applied either way). */
    private double skipNonFiniteLoss(Window window, double v) {
        return skipOrStop("training loss " + v + " at window " + window.index() + " (last finite " + lastFiniteLoss
                + "): update skipped", new NonFiniteLossException(window.index(), v, lastFiniteLoss));
    }

    private static NonFiniteLossException parametersBecameNonFinite(Window window, double loss) {
        return new NonFiniteLossException(window.index(), Double.NaN, loss,
                "the adapter's parameters became non-finite after the update");
    }

    /** The NaN policy: with skip_window one {@code warning:} line and NaN (no update), otherwise {@code stop}. */
    private double skipOrStop(String warning, NonFiniteLossException stop) {
        if (onNonFinite == NonFinitePolicy.SKIP_WINDOW) {
            System.err.println("warning: " + warning);
            return Double.NaN;
        }
        throw stop;
    }

    /**
     * An objective that is a sum of parts, each backpropagated on its own as soon as it is computed, so only one
     * part's graph is alive at a time (GRPO's micro-batches); gradients add up in the parameters.
     */
    public interface PartedObjective {
        int parts();

        NDArray part(int index, NDManager scope);
    }

    /** One optimiser step on a single-part objective (see {@link #step(Window, int, PartedObjective)}). */
    private double step(Window window, int index, java.util.function.Function<NDManager, NDArray> objective) {
        return step(window, index, new PartedObjective() {
            @Override
            public int parts() {
                return 1;
            }

            @Override
            public NDArray part(int i, NDManager scope) {
                return objective.apply(scope);
            }
        }, true);
    }

    /**
     * One optimiser step (the window's {@code index}-th) on {@code objective}: the loss before the update, or NaN when
     * the policy skipped the update of a non-finite loss (gradients of parts already backpropagated are cleared).
     * {@code trainingMode} false runs the forward without dropout (GRPO: pi must be the policy pi_old sampled).
     */
    private double step(Window window, int index, PartedObjective objective, boolean trainingMode) {
        TrainingStep key = new TrainingStep(seed, window.index(), index);
        boolean stream = trainingMode && streamDraws;
        if (stream) {
            adapter.beginStreamStep(key);
        } else if (trainingMode) {
            adapter.beginStep(key);
        }
        double loss = 0;
        try (NDManager scope = model.manager().newSubManager();
                GradientScope gc = GradientScope.recording()) {
            for (int part = 0; part < objective.parts(); part++) {
                try (NDManager partScope = scope.newSubManager()) {
                    final int p = part;
                    NDArray value = stream ? TorchOps.seeded(key.streamKey(), () -> objective.part(p, partScope))
                            : objective.part(part, partScope);
                    double v = value.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
                    if (!Double.isFinite(v)) {
                        adapter.parameters().forEach(org.locasbench.model.engine.TorchOps::zeroGrad);
                        return skipNonFiniteLoss(window, v);
                    }
                    gc.backward(value);
                    loss += v;
                }
            }
        }
        optimizer.step(adapter.parameters(), config.schedule().lrScale(window.index(), index));
        adapter.afterOptimizerStep();
        requireFiniteParameters(window, loss);
        lastFiniteLoss = loss;
        return loss;
    }

    /** Tokens GRPO sampled in the last {@link #train} call (0 for the other losses). */
    public int sampledTokens() {
        return sampledTokens;
    }

    /** One host read per step: any NaN/Inf in any parameter makes the total of their sums non-finite. */
    private void requireFiniteParameters(Window window, double loss) {
        List<NDArray> parameters = adapter.parameters();
        if (parameters.isEmpty()) {
            return;
        }
        try (NDManager scope = model.manager().newSubManager()) {
            if (!Double.isFinite(parameterTotal(parameters, scope).getDouble())) {
                throw parametersBecameNonFinite(window, loss);
            }
        }
    }

    /**
     * The sum of every parameter's elements, in fp64, on the device (0-d, in {@code scope}): non-finite exactly when
     * some parameter holds a NaN or Inf. Read on the host by the eager step, kept on the device by a graph's.
     */
    static NDArray parameterTotal(List<NDArray> parameters, NDManager scope) {
        NDList sums = new NDList(parameters.size());
        for (NDArray p : parameters) {
            NDArray sum = p.sum();
            sum.attach(scope);
            sums.add(sum);
        }
        NDArray total = NDArrays.stack(sums).toType(ai.djl.ndarray.types.DataType.FLOAT64, false).sum();
        total.attach(scope);
        return total;
    }

    NDArray loss(NDManager scope, long[] ids, Window window) {
        return switch (config.loss()) {
            case NTP -> ntp(scope, ids, window);
            case SD -> selfDistillation(scope, ids, window);
            case GRPO -> throw new IllegalStateException("GRPO's objective is per group (GrpoWindow), not per window");
            case MIX -> {
                NDArray ntp = ntp(scope, ids, window);
                NDArray sd = selfDistillation(scope, ids, window);
                yield ntp.mul(Scoped.scalar(ntp, config.mixLambda())).add(sd.mul(Scoped.scalar(sd,
                        1 - config.mixLambda())));
            }
        };
    }

    private NDArray ntp(NDManager scope, long[] ids, Window window) {
        return WindowScorer.scoredNll(model, adapter, WindowScorer.inputIds(scope, ids, window), window).mean();
    }

    /** KL(teacher || student) per target token, averaged: sum_v p_t (log p_t - log p_s). */
    private NDArray selfDistillation(NDManager scope, long[] ids, Window window) {
        NDArray teacher = targetLogProbs(scope, ids, window, config.teacherContext(), LayerAdapter.NONE);
        NDArray student = targetLogProbs(scope, ids, window, config.studentContext(), adapter);
        return teacher.exp().mul(teacher.sub(student)).sum(new int[] {-1}).mean();
    }

    /** Log-probabilities [scored, vocab] for the window's targets, seeing {@code context} tokens before the window. */
    private NDArray targetLogProbs(NDManager scope, long[] ids, Window window, int context, LayerAdapter with) {
        int from = Math.max(0, window.start() - context);
        long[] slice = Arrays.copyOfRange(ids, from, window.end());
        NDArray input = scope.create(slice, new Shape(1, slice.length));
        NDArray logits = model.logits(input, 0, with, null);
        // logits at position p-1 predict position p; targets are firstScored .. end-1
        int first = window.firstScored() - 1 - from;
        int last = window.end() - 1 - from;
        return logits.get("0, " + first + ":" + last + ", :").logSoftmax(-1);
    }

    /** Training steps that ran as a CUDA-graph replay (the fast path; 0 on the pure-DJL path). */
    public int graphReplays() {
        return graphed == null ? 0 : graphed.replays();
    }

    public AdamW optimizer() {
        return optimizer;
    }

    @Override
    public void close() {
        try (AdamW o = optimizer; CudaGraph.SideStream s = stream; GraphedStep g = graphed) {
            // closed in reverse: the graphs, then the stream (restored before it waits), then the optimiser's state;
            // if one fails the others are still closed
        }
    }
}
