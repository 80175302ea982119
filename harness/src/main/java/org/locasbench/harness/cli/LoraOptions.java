package org.locasbench.harness.cli;

import java.util.EnumSet;
import java.util.Set;
import org.locasbench.lora.LoraConfig;
import org.locasbench.model.adapter.Projection;
import picocli.CommandLine.Option;

/** LoRA hyper-parameters; defaults are Temp-Lora's (all seven projections, alpha = r, dropout 0.05). */
public final class LoraOptions {
    @Option(names = "--rank", defaultValue = "64", description = "LoRA rank r (default ${DEFAULT-VALUE}).")
    int rank;

    @Option(names = "--alpha", description = "LoRA alpha (default: equal to the rank, as Temp-Lora).")
    Double alpha;

    @Option(names = "--dropout", defaultValue = "0.05", description = "LoRA dropout (default ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--targets", split = ",", defaultValue = "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj",
            description = "Projections to adapt (default: all seven).")
    java.util.List<String> targets;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of A's initialisation (default ${DEFAULT-VALUE}).")
    long seed;

    LoraConfig config() {
        Set<Projection> set = EnumSet.noneOf(Projection.class);
        for (String t : targets) {
            if (t.isBlank()) {
                throw new IllegalArgumentException("--targets has an empty name; list one or more of "
                        + Projection.NAMES);
            }
            try {
                set.add(Projection.fromModule(t.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--targets: " + e.getMessage());
            }
        }
        return new LoraConfig(rank, alpha == null ? rank : alpha, dropout, set, seed);
    }
}
