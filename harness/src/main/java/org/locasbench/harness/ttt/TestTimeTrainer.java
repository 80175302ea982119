package org.locasbench.harness.ttt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.locasbench.harness.protocol.Window;
import org.locasbench.harness.protocol.WindowScorer;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.adapter.Scoped;
import org.locasbench.model.adapter.TrainableAdapter;

/**
 * Trains an adapter (Locas memory or LoRA) on one window: {@code stepsPerWindow} AdamW steps on the configured loss,
 * gradients into the adapter only; the backbone is frozen and never copied.
 */
public final class TestTimeTrainer implements AutoCloseable {
    private final Qwen3Model model;
    private final TrainableAdapter adapter;
    private final TrainingConfig config;
    private final AdamW optimizer;
    private double lastFiniteLoss = Double.NaN;

    public TestTimeTrainer(Qwen3Model model, TrainableAdapter adapter, TrainingConfig config) {
        this.model = model;
        this.adapter = adapter;
        this.config = config;
        this.optimizer = new AdamW(model.manager(), config);
    }

    /** Runs the window's optimiser steps; returns the loss of the last step (before its update). */
    public double train(long[] ids, Window window) {
        double loss = Double.NaN;
        adapter.training(true);
        try {
            for (int s = 0; s < config.stepsPerWindow(); s++) {
            try (NDManager scope = model.manager().newSubManager(); GradientScope gc = new GradientScope()) {
                NDArray objective = loss(scope, ids, window);
                loss = objective.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
                if (!Double.isFinite(loss)) {
                    throw new NonFiniteLossException(window.index(), loss, lastFiniteLoss);
                }
                gc.backward(objective);
            }
            optimizer.step(adapter.parameters());
            adapter.afterOptimizerStep();
            lastFiniteLoss = loss;
            }
        } finally {
            adapter.training(false);
        }
        return loss;
    }

    NDArray loss(NDManager scope, long[] ids, Window window) {
        return switch (config.loss()) {
            case NTP -> ntp(scope, ids, window);
            case SD -> selfDistillation(scope, ids, window);
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

    public AdamW optimizer() {
        return optimizer;
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
