package org.locasbench.harness.ttt;

import java.util.Locale;

/** How the optimiser and its learning rate evolve over the stream. */
public enum OptimizerSchedule {
    /** One AdamW for the whole stream (moments and step count carry over windows), constant learning rate. */
    CONSTANT,
    /**
     * As Temp-LoRA's code trains a chunk while it generates ({@code _update_temp_lora}): a fresh AdamW for every
     * window and transformers' constant-with-warmup schedule over {@link #TEMP_LORA_WARMUP} steps, so step s of a
     * window runs at {@code lr * min(1, s / 2)}: the first step of each window at lr 0 (its moments still move), the
     * second at lr/2.
     */
    TEMP_LORA,
    /**
     * As Temp-LoRA's PG-19 evaluation trains ({@code trainer/acc_pg19_trainer.py} run by {@code scripts/llama2.sh}:
     * {@code --lr_scheduler_type constant_with_warmup --warmup_steps 2}): one AdamW for the whole book and the
     * scheduler stepped once per chunk, so every step of window w runs at {@code lr * min(1, w / 2)}: window 0 at lr 0,
     * window 1 at lr/2, then lr.
     */
    TEMP_LORA_PG19;

    /** Temp-LoRA's {@code warmup_steps}. */
    public static final int TEMP_LORA_WARMUP = 2;

    /** The learning-rate multiplier of step {@code s} (0-based) of window {@code window} (0-based). */
    public double lrScale(int window, int s) {
        return switch (this) {
            case CONSTANT -> 1.0;
            case TEMP_LORA -> s < TEMP_LORA_WARMUP ? (double) s / TEMP_LORA_WARMUP : 1.0;
            case TEMP_LORA_PG19 -> window < TEMP_LORA_WARMUP ? (double) window / TEMP_LORA_WARMUP : 1.0;
        };
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
