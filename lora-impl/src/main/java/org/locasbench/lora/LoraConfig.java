package org.locasbench.lora;

import java.util.EnumSet;
import java.util.Set;
import org.locasbench.model.adapter.Projection;

/**
 * LoRA hyper-parameters with PEFT's semantics: {@code y = W x + (alpha / r) B A dropout(x)}.
 *
 * @param targets the projections that get an adapter
 */
public record LoraConfig(int rank, double alpha, double dropout, Set<Projection> targets, long seed) {
    public LoraConfig {
        if (rank < 1) {
            throw new IllegalArgumentException("LoRA rank must be >= 1, got " + rank);
        }
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("LoRA alpha must be > 0, got " + alpha);
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("LoRA needs at least one target projection");
        }
        targets = java.util.Collections.unmodifiableSet(EnumSet.copyOf(targets)); // iterated in layer order
    }

    public double scaling() {
        return alpha / rank;
    }

    /** Temp-Lora's choice: every linear layer of every block, r = 64, alpha = 64, dropout 0.05. */
    public static LoraConfig tempLora(int rank, long seed) {
        return new LoraConfig(rank, rank, 0.05, EnumSet.allOf(Projection.class), seed);
    }
}
