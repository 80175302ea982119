package org.locasbench.harness.config;

import java.util.List;
import org.locasbench.locas.InitStrategy;

/**
 * Section {@code ablation}: Locas init strategies x widths, each run on the PG-19 protocol.
 *
 * @param baseline also run the frozen model with the protocol's context (Table 2's "no memory" row)
 */
public record AblationSettings(List<InitStrategy> inits, List<Integer> widths, Boolean baseline) {
    public AblationSettings {
        ConfigException.require(inits != null && !inits.isEmpty(), "ablation.inits", "must list at least one init");
        ConfigException.require(widths != null && !widths.isEmpty() && widths.stream().allMatch(w -> w != null
                && w > 0), "ablation.widths", "must list positive widths, got " + widths);
        ConfigException.require(baseline != null, "ablation.baseline", "must be true or false");
        inits = List.copyOf(inits);
        widths = List.copyOf(widths);
    }
}
