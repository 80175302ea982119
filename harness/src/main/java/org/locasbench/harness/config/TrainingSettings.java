package org.locasbench.harness.config;

import org.locasbench.harness.ttt.LossKind;

/**
 * Section {@code training}: the test-time loss and AdamW's shared settings, for Locas and LoRA alike.
 *
 * @param mixLambda MIX weight of the NTP term
 * @param teacherContext tokens of context the SD teacher (frozen model) sees before the window
 * @param studentContext tokens of context the SD student (model + memory) sees before the window
 */
public record TrainingSettings(LossKind loss, double mixLambda, int stepsPerWindow, int teacherContext,
        int studentContext, double beta1, double beta2, double weightDecay) {
    public TrainingSettings {
        ConfigException.require(loss != null, "training.loss", "must be NTP, SD, MIX or GRPO");
        ConfigException.require(mixLambda >= 0 && mixLambda <= 1, "training.mixLambda", "must be in [0, 1], got "
                + mixLambda);
        ConfigException.require(stepsPerWindow >= 1, "training.stepsPerWindow", "must be >= 1, got "
                + stepsPerWindow);
        ConfigException.require(teacherContext >= 1, "training.teacherContext", "must be >= 1 token");
        ConfigException.require(studentContext >= 1, "training.studentContext", "must be >= 1 token");
        ConfigException.require(beta1 >= 0 && beta1 < 1, "training.beta1", "must be in [0, 1), got " + beta1);
        ConfigException.require(beta2 >= 0 && beta2 < 1, "training.beta2", "must be in [0, 1), got " + beta2);
        ConfigException.require(weightDecay >= 0, "training.weightDecay", "must be >= 0, got " + weightDecay);
    }
}
