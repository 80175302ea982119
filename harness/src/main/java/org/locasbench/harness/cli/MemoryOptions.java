package org.locasbench.harness.cli;

import org.locasbench.locas.Clipping;
import org.locasbench.locas.InitStrategy;
import org.locasbench.locas.LocasMemory;
import org.locasbench.locas.Memorizer;
import org.locasbench.model.Qwen3Model;
import picocli.CommandLine.Option;

/** How a fresh Locas memory is made: width, init strategy, seed, clipping. */
public final class MemoryOptions {
    @Option(names = {"--width", "--keep-top"}, paramLabel = "R", defaultValue = "64",
            description = "Memory width r (rows of G, K, V per layer); default ${DEFAULT-VALUE}.")
    int width;

    @Option(names = "--init", defaultValue = "highest",
            description = "highest (default), lowest, random_index or random.")
    String init;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for random_index / random; default ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--clipping", defaultValue = "reparameterize",
            description = "reparameterize (default: clip rows in the forward pass) or post_step_projection.")
    String clipping;

    String describe() {
        return "locas width " + width + " init " + init + " seed " + seed + " clipping " + clipping;
    }

    public LocasMemory memorize(Qwen3Model model, long[] ids) {
        return Memorizer.memorize(model, ids, width, InitStrategy.parse(init), seed, Clipping.parse(clipping));
    }
}
