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
    RANDOM;

    public static InitStrategy parse(String name) {
        for (InitStrategy s : values()) {
            if (s.name().equalsIgnoreCase(name.replace('-', '_'))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown init strategy '" + name
                + "'; use highest, lowest, random_index or random");
    }

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
