package org.locasbench.harness.generation;

import java.util.Set;

/**
 * How {@link Sampler} draws tokens: softmax(logits / temperature) restricted to the {@code topK} most likely tokens
 * (0 = all) and then to the smallest set whose probability reaches {@code topP} (1 = all), renormalised.
 *
 * @param stopIds a sample ends after the first of these (kept in the sample)
 */
public record SamplingConfig(double temperature, int topK, double topP, int maxNewTokens, Set<Long> stopIds) {
    public SamplingConfig {
        if (!(temperature > 0) || !(topP > 0 && topP <= 1) || topK < 0 || maxNewTokens < 1) {
            throw new IllegalArgumentException("sampling needs temperature > 0, 0 < topP <= 1, topK >= 0, "
                    + "maxNewTokens >= 1");
        }
        stopIds = Set.copyOf(stopIds);
    }
}
