package org.locasbench.harness.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locations of the bundled model and data: {@code -Dlocas.data.dir}, else the {@code LOCAS_DATA_DIR} environment
 * variable (which bin/locas-bench also passes on), else {@code ./data}.
 */
public final class DataPaths {
    static final String PROPERTY = "locas.data.dir";
    static final String ENV = "LOCAS_DATA_DIR";

    private DataPaths() {}

    public static Path dataDir() {
        return dataDir(System.getProperty(PROPERTY), System.getenv(ENV));
    }

    /** The data directory from a {@code -Dlocas.data.dir} and a {@code LOCAS_DATA_DIR} value (either may be null). */
    public static Path dataDir(String property, String env) {
        String from = property != null ? "-D" + PROPERTY : env != null && !env.isBlank() ? ENV : null;
        Path dir = Path.of(property != null ? property : from != null ? env : "data");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("data directory " + dir.toAbsolutePath() + (from != null ? " (from "
                    + from + ")" : "") + " not found; it holds the bundled model and PG-19 books: run from the "
                    + "project root, set " + ENV + "=PATH/TO/data (bin/locas-bench and java alike), or add -D"
                    + PROPERTY + "=PATH/TO/data to the JVM options (LOCAS_JAVA_OPTS for bin/locas-bench, -Dmain.jvm "
                    + "for mvn -Pmain); or pass --model and --ids/--text so that no bundled data is needed");
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
