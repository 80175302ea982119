package org.locasbench.harness.config;

/** An invalid config value: names the key ({@code section.key}); the loader adds where the value came from. */
public final class ConfigException extends IllegalArgumentException {
    private final String key;

    public ConfigException(String key, String message) {
        super("invalid config value '" + key + "': " + message);
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** Throws unless {@code ok}. */
    public static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new ConfigException(key, message);
        }
    }
}
