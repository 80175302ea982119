package org.locasbench.harness.config;

import org.locasbench.locas.Clipping;
import org.locasbench.locas.InitStrategy;

/**
 * Section {@code locas}: the memory and its optimiser.
 *
 * @param width r, rows of G, K, V per layer
 * @param lr AdamW learning rate
 * @param epsilon AdamW epsilon
 * @param growEvery expandable memory: grow after every this many windows (null = fixed width)
 * @param growBy rows per layer each growth step adds
 * @param maxWidth the width an expandable memory stops growing at
 */
public record LocasSettings(int width, InitStrategy init, Clipping clipping, double lr, double epsilon,
        Integer growEvery, int growBy, Integer maxWidth) {
    public LocasSettings {
        if (growEvery != null) {
            ConfigException.require(growEvery >= 1, "locas.growEvery", "must be >= 1 window (or null: fixed width), "
                    + "got " + growEvery);
            ConfigException.require(growBy >= 1, "locas.growBy", "must be >= 1 row, got " + growBy);
            ConfigException.require(maxWidth != null && maxWidth > width, "locas.maxWidth", "must be set above "
                    + "locas.width (" + width + ") for an expandable memory, got " + maxWidth);
        } else {
            ConfigException.require(maxWidth == null, "locas.maxWidth", "is only used by an expandable memory: set "
                    + "locas.growEvery too, or leave maxWidth null");
        }
        ConfigException.require(width > 0, "locas.width", "must be positive, got " + width);
        ConfigException.require(init != null, "locas.init", "must be highest, lowest, random, random_index or "
                + "normalized_activation");
        ConfigException.require(clipping != null, "locas.clipping", "must be reparameterize or post_step_projection");
        ConfigException.require(lr > 0 && Double.isFinite(lr), "locas.lr", "must be a positive learning rate, got "
                + lr);
        ConfigException.require(epsilon > 0 && Double.isFinite(epsilon), "locas.epsilon", "must be positive, got "
                + epsilon);
    }

    public LocasSettings withWidth(int r) {
        return new LocasSettings(r, init, clipping, lr, epsilon, growEvery, growBy, maxWidth);
    }

    public LocasSettings withInit(InitStrategy strategy) {
        return new LocasSettings(width, strategy, clipping, lr, epsilon, growEvery, growBy, maxWidth);
    }

    /** Fixed width (growth off). */
    public LocasSettings fixed() {
        return new LocasSettings(width, init, clipping, lr, epsilon, null, growBy, null);
    }

    /** Expandable: from {@code start} rows, growing by growBy every {@code every} windows up to {@code max}. */
    public LocasSettings expandable(int start, int every, int max) {
        return new LocasSettings(start, init, clipping, lr, epsilon, every, growBy, max);
    }

    /** The growth schedule, or null for a fixed width. */
    public org.locasbench.harness.ttt.MemoryGrowth growth() {
        return growEvery == null ? null : new org.locasbench.harness.ttt.MemoryGrowth(width, growEvery, growBy,
                maxWidth);
    }
}
