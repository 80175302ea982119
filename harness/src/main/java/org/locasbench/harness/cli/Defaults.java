package org.locasbench.harness.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locations of the bundled model and data: {@code -Dlocas.data.dir}, else {@code ./data}. */
public final class Defaults {
    private Defaults() {}

    public static Path dataDir() {
        String prop = System.getProperty("locas.data.dir");
        Path dir = prop != null ? Path.of(prop) : Path.of("data");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("data directory " + dir.toAbsolutePath() + " not found; run from the "
                    + "project root or pass -Dlocas.data.dir=PATH/TO/data");
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
