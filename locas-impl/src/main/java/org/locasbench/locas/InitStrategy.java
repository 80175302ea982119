package org.locasbench.locas;

/** How {@code memorize} chooses the memory's initial gate (G) and key (K) rows. V always starts at zero. */
public enum InitStrategy {
    /** The r frozen neurons with the highest importance alpha (the paper's principled initialisation). */
    HIGHEST,
    /** The r least important neurons (ablation). */
    LOWEST,
    /** r distinct neurons drawn uniformly with the run's seed (ablation). */
    RANDOM_INDEX,
    /** G, K ~ N(0, 1/d) with the run's seed, ignoring the model (ablation). */
    RANDOM,
    /**
     * Locas-MLP's initialisation applied to the GLU (Table 2's "normalised activation" row): G and K rows are the
     * unit-normalised MLP inputs a_t of r tokens of the memorized window, evenly spaced (t_i = floor((i + 1/2) T / r));
     * the spacing is this project's choice, the paper does not say which tokens.
     */
    NORMALIZED_ACTIVATION;

    public static InitStrategy parse(String name) {
        for (InitStrategy s : values()) {
            if (s.name().equalsIgnoreCase(name.replace('-', '_'))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown init strategy '" + name
                + "'; use highest, lowest, random_index, random or normalized_activation");
    }

    /** Whether the rows are cloned from frozen MLP neurons ranked by importance (so growth must skip held ones). */
    public boolean clonesNeurons() {
        return this != RANDOM && this != NORMALIZED_ACTIVATION;
    }

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
