package org.locasbench.model;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the bundled data ({@code data/}) and the optional large data ({@code ../shared/data}) are. */
public final class TestData {
    private TestData() {}

    public static Path dataDir() {
        String prop = System.getProperty("locas.data.dir");
        if (prop != null && Files.isDirectory(Path.of(prop))) {
            return Path.of(prop);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("data/fixtures"))) {
                return p.resolve("data");
            }
        }
        throw new IllegalStateException("cannot find the project's data/ directory; run from the project root");
    }

    public static Path fixture(String name) {
        return dataDir().resolve("fixtures").resolve(name);
    }

    /**
     * The device tests that may run on a GPU use: {@code -Dlocas.test.device=gpu} on a GPU runner (the fast path's
     * parity is checked by running them there with the native library), the CPU otherwise.
     */
    public static ai.djl.Device testDevice() {
        return ai.djl.Device.fromName(System.getProperty("locas.test.device", "cpu"));
    }

    public static Path bundledModel() {
        return dataDir().resolve("models/tiny-qwen3-gutenberg");
    }

    /** {@code ../shared/data}, or the test is skipped with a message saying what is missing. */
    public static Path sharedData() {
        String prop = System.getProperty("locas.shared.dir");
        Path shared = prop != null ? Path.of(prop) : dataDir().getParent().resolveSibling("shared");
        Path data = shared.resolve("data");
        assumeTrue(Files.isDirectory(data), "skipped: " + data.toAbsolutePath().normalize()
                + " is absent (the large real data sets live beside the project, see README)");
        return data;
    }
}
