package org.locasbench.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the benchmarks find the bundled model: {@code -Dlocas.data.dir}, else {@code ./data}. */
final class BenchmarkData {
    private BenchmarkData() {}

    static Path dataDir() {
        Path dir = Path.of(System.getProperty("locas.data.dir", "data"));
        if (!Files.isDirectory(dir.resolve("models"))) {
            throw new IllegalStateException("no bundled data at " + dir.toAbsolutePath()
                    + "; run from the project root or pass -Dlocas.data.dir");
        }
        return dir;
    }

    static Path bundledModel() {
        return dataDir().resolve("models/tiny-qwen3-gutenberg");
    }
}
