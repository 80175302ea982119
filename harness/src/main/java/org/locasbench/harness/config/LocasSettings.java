package org.locasbench.harness.config;

import org.locasbench.locas.Clipping;
import org.locasbench.locas.InitStrategy;

/**
 * Section {@code locas}: the memory and its optimiser.
 *
 * @param width r, rows of G, K, V per layer
 * @param lr AdamW learning rate
 * @param epsilon AdamW epsilon
 */
public record LocasSettings(int width, InitStrategy init, Clipping clipping, double lr, double epsilon) {
    public LocasSettings {
        ConfigException.require(width > 0, "locas.width", "must be positive, got " + width);
        ConfigException.require(init != null, "locas.init", "must be highest, lowest, random or random_index");
        ConfigException.require(clipping != null, "locas.clipping", "must be reparameterize or post_step_projection");
        ConfigException.require(lr > 0 && Double.isFinite(lr), "locas.lr", "must be a positive learning rate, got "
                + lr);
        ConfigException.require(epsilon > 0 && Double.isFinite(epsilon), "locas.epsilon", "must be positive, got "
                + epsilon);
    }

    public LocasSettings withWidth(int r) {
        return new LocasSettings(r, init, clipping, lr, epsilon);
    }

    public LocasSettings withInit(InitStrategy strategy) {
        return new LocasSettings(width, strategy, clipping, lr, epsilon);
    }
}
