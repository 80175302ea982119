package org.locasbench.harness.config;

import java.util.List;
import org.locasbench.locas.InitStrategy;

/**
 * Section {@code ablation}: Locas init strategies x widths, each run on the PG-19 protocol.
 *
 * @param baseline also run the frozen model with the protocol's context (Table 2's "no memory" row)
 * @param growEvery with a value N, every init x width r also runs as an expandable memory that starts at
 *     {@code locas.growBy} rows and grows by as many every N windows up to r (fixed vs expandable at the same final
 *     parameter count); null: fixed widths only
 */
public record AblationSettings(List<InitStrategy> inits, List<Integer> widths, Boolean baseline, Integer growEvery) {
    public AblationSettings {
        ConfigException.require(inits != null && !inits.isEmpty(), "ablation.inits", "must list at least one init");
        ConfigException.require(widths != null && !widths.isEmpty() && widths.stream().allMatch(w -> w != null
                && w > 0), "ablation.widths", "must list positive widths, got " + widths);
        ConfigException.require(baseline != null, "ablation.baseline", "must be true or false");
        ConfigException.require(growEvery == null || growEvery >= 1, "ablation.growEvery", "must be >= 1 window or "
                + "null, got " + growEvery);
        inits = List.copyOf(inits);
        widths = List.copyOf(widths);
    }
}
