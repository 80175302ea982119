package org.locasbench.harness.ttt;

/**
 * Optimiser and loss settings of test-time training, built from the config's settings by MethodSetup (the defaults
 * live in experiments/common.yaml, not here).
 *
 * @param teacherContext tokens of context the SD teacher (frozen model) sees before the window
 * @param studentContext tokens of context the SD student (model + memory) sees before the window
 * @param schedule optimiser state and learning rate over the stream (Temp-LoRA's per-window warm-up, or constant)
 * @param grpo GRPO's settings (required when the loss is GRPO; each of the window's steps samples its groups and
 *     takes {@code grpo.innerSteps} optimiser steps on them)
 */
public record TrainingConfig(LossKind loss, double mixLambda, double learningRate, double beta1, double beta2,
        double epsilon, double weightDecay, int stepsPerWindow, int teacherContext, int studentContext,
        OptimizerSchedule schedule, org.locasbench.harness.config.GrpoSettings grpo) {

    /** With the constant schedule (one AdamW for the stream). */
    public TrainingConfig(LossKind loss, double mixLambda, double learningRate, double beta1, double beta2,
            double epsilon, double weightDecay, int stepsPerWindow, int teacherContext, int studentContext) {
        this(loss, mixLambda, learningRate, beta1, beta2, epsilon, weightDecay, stepsPerWindow, teacherContext,
                studentContext, OptimizerSchedule.CONSTANT, null);
    }

    /** With a schedule and no GRPO settings. */
    public TrainingConfig(LossKind loss, double mixLambda, double learningRate, double beta1, double beta2,
            double epsilon, double weightDecay, int stepsPerWindow, int teacherContext, int studentContext,
            OptimizerSchedule schedule) {
        this(loss, mixLambda, learningRate, beta1, beta2, epsilon, weightDecay, stepsPerWindow, teacherContext,
                studentContext, schedule, null);
    }

    public TrainingConfig {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
        }
        if (stepsPerWindow < 1) {
            throw new IllegalArgumentException("steps per window must be >= 1, got " + stepsPerWindow);
        }
        if (!(mixLambda >= 0 && mixLambda <= 1)) {
            throw new IllegalArgumentException("MIX lambda must be in [0, 1], got " + mixLambda);
        }
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon > 0 && Double.isFinite(epsilon)
                && weightDecay >= 0 && Double.isFinite(weightDecay))) {
            throw new IllegalArgumentException("AdamW needs 0 <= beta < 1, epsilon > 0, weight decay >= 0");
        }
        if (teacherContext < 1 || studentContext < 1) {
            throw new IllegalArgumentException("SD teacher/student context must be >= 1 token");
        }
        if (schedule == null) {
            throw new IllegalArgumentException("an optimiser schedule is required");
        }
        if (loss == LossKind.GRPO && grpo == null) {
            throw new IllegalArgumentException("the GRPO loss needs the grpo settings");
        }
    }

    public TrainingConfig withSchedule(OptimizerSchedule s) {
        return new TrainingConfig(loss, mixLambda, learningRate, beta1, beta2, epsilon, weightDecay, stepsPerWindow,
                teacherContext, studentContext, s, grpo);
    }

    public TrainingConfig withLoss(LossKind kind) {
        return new TrainingConfig(kind, mixLambda, learningRate, beta1, beta2, epsilon, weightDecay, stepsPerWindow,
                teacherContext, studentContext, schedule, grpo);
    }

    public TrainingConfig withLearningRate(double lr) {
        return new TrainingConfig(loss, mixLambda, lr, beta1, beta2, epsilon, weightDecay, stepsPerWindow,
                teacherContext, studentContext, schedule, grpo);
    }

    public TrainingConfig withSteps(int steps) {
        return new TrainingConfig(loss, mixLambda, learningRate, beta1, beta2, epsilon, weightDecay, steps,
                teacherContext, studentContext, schedule, grpo);
    }

    public TrainingConfig withContexts(int teacher, int student) {
        return new TrainingConfig(loss, mixLambda, learningRate, beta1, beta2, epsilon, weightDecay, stepsPerWindow,
                teacher, student, schedule, grpo);
    }

    public TrainingConfig withMixLambda(double lambda) {
        return new TrainingConfig(loss, lambda, learningRate, beta1, beta2, epsilon, weightDecay, stepsPerWindow,
                teacherContext, studentContext, schedule, grpo);
    }

    public TrainingConfig withGrpo(org.locasbench.harness.config.GrpoSettings g) {
        return new TrainingConfig(loss, mixLambda, learningRate, beta1, beta2, epsilon, weightDecay, stepsPerWindow,
                teacherContext, studentContext, schedule, g);
    }
}
