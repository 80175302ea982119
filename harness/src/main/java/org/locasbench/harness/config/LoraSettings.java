package org.locasbench.harness.config;

/**
 * Section {@code lora}: the LoRA baseline (on all seven projections, as Temp-Lora) and its optimiser.
 *
 * @param targets module names of the adapted projections (q_proj ... down_proj)
 * @param lr AdamW learning rate
 * @param epsilon AdamW epsilon (Temp-Lora: 1e-7)
 * @param stepsPerWindow LoRA's own optimiser steps per window (Temp-Lora trains 2 epochs per chunk); null = the
 *     shared {@code training.stepsPerWindow}
 * @param schedule {@code temp_lora}: a fresh AdamW per window with Temp-LoRA's constant-with-warmup over 2 steps;
 *     {@code temp_lora_pg19}: one AdamW with that warm-up over the first 2 windows (Temp-LoRA's PG-19 script); null =
 *     one AdamW for the whole stream at a constant learning rate
 */
public record LoraSettings(int rank, double alpha, double dropout, java.util.List<String> targets, double lr,
        double epsilon, Integer stepsPerWindow, org.locasbench.harness.ttt.OptimizerSchedule schedule) {
    public LoraSettings {
        ConfigException.require(targets != null && !targets.isEmpty(), "lora.targets",
                "must list at least one of q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj");
        for (String t : targets) {
            try {
                org.locasbench.model.adapter.Projection.fromModule(t);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("lora.targets", "'" + t + "' is not a projection; use q_proj, k_proj, "
                        + "v_proj, o_proj, gate_proj, up_proj, down_proj");
            }
        }
        targets = java.util.List.copyOf(targets);
        ConfigException.require(rank > 0, "lora.rank", "must be positive, got " + rank);
        ConfigException.require(alpha > 0 && Double.isFinite(alpha), "lora.alpha", "must be positive, got " + alpha);
        ConfigException.require(dropout >= 0 && dropout < 1, "lora.dropout", "must be in [0, 1), got " + dropout);
        ConfigException.require(lr > 0 && Double.isFinite(lr), "lora.lr", "must be a positive learning rate, got "
                + lr);
        ConfigException.require(epsilon > 0 && Double.isFinite(epsilon), "lora.epsilon", "must be positive, got "
                + epsilon);
        ConfigException.require(stepsPerWindow == null || stepsPerWindow >= 1, "lora.stepsPerWindow",
                "must be >= 1, or null for training.stepsPerWindow; got " + stepsPerWindow);
    }
}
