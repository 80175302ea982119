package org.locasbench.harness.config;

/**
 * Section {@code window}: the score-then-train protocol's window of new tokens and the context before it.
 *
 * @param size new tokens scored (then trained on) per window
 * @param context tokens of earlier text each window sees (context truncation; the {@code none} baseline)
 * @param longContext the context of the {@code long_context} baseline
 */
public record WindowSettings(int size, int context, int longContext) {
    public WindowSettings {
        ConfigException.require(size > 0, "window.size", "must be a positive number of tokens, got " + size);
        ConfigException.require(context >= 0, "window.context", "must be >= 0, got " + context);
        ConfigException.require(longContext >= context, "window.longContext", "must be >= window.context ("
                + context + "), got " + longContext);
    }
}
