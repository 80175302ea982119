package org.locasbench.harness.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the bundled model and data are: {@code -Dlocas.data.dir}, else {@code $LOCAS_DATA_DIR}, else {@code ./data}.
 */
public final class DataPaths {
    private DataPaths() {}

    public static Path dataDir() {
        String env = System.getenv("LOCAS_DATA_DIR");
        String prop = System.getProperty("locas.data.dir");
        Path dir = prop != null ? Path.of(prop) : env != null && !env.isBlank() ? Path.of(env) : Path.of("data");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("data directory " + dir.toAbsolutePath() + " not found; run from the "
                    + "project root or set LOCAS_DATA_DIR=PATH/TO/data (or -Dlocas.data.dir=PATH/TO/data)");
        }
        return dir;
    }

    public static String bundledModel() {
        return dataDir().resolve("models/tiny-qwen3-gutenberg").toString();
    }

    public static Path pg19Manifest() {
        return dataDir().resolve("pg19/manifest.json");
    }
}
