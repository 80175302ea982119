package org.locasbench.harness.ttt;

import java.util.Locale;

/** How the optimiser and its learning rate evolve over the stream. */
public enum OptimizerSchedule {
    /** One AdamW for the whole stream (moments and step count carry over windows), constant learning rate. */
    CONSTANT,
    /**
     * As Temp-LoRA's code trains a chunk ({@code _update_temp_lora}): a fresh AdamW for every window and
     * transformers' constant-with-warmup schedule over {@link #TEMP_LORA_WARMUP} steps, so step s of a window runs at
     * {@code lr * min(1, s / 2)}: the first step of each window at lr 0 (its moments still move), the second at lr/2.
     */
    TEMP_LORA;

    /** Temp-LoRA's {@code TempLoraTuningConfig.warmup_steps}. */
    public static final int TEMP_LORA_WARMUP = 2;

    /** The learning-rate multiplier of step {@code s} (0-based) of a window. */
    public double lrScale(int s) {
        return this == TEMP_LORA && s < TEMP_LORA_WARMUP ? (double) s / TEMP_LORA_WARMUP : 1.0;
    }

    /** Whether each window starts with fresh optimiser state. */
    public boolean freshOptimizerPerWindow() {
        return this == TEMP_LORA;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
