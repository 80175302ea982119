package org.locasbench.harness.cli;

import picocli.CommandLine.Option;

/** How a fresh Locas memory is made and trained; each option stands for a key of the {@code locas} section. */
public final class MemoryOptions {
    @Option(names = {"--width", "--keep-top"}, paramLabel = "R", descriptionKey = "locas.width",
            description = "Memory width r (rows of G, K, V per layer); default ${DEFAULT-VALUE}.")
    String width;

    @Option(names = "--init", descriptionKey = "locas.init",
            description = "highest, lowest, random_index, random or normalized_activation; default ${DEFAULT-VALUE}.")
    String init;

    @Option(names = "--seed", descriptionKey = "run.seed",
            description = "Seed for random_index / random; default ${DEFAULT-VALUE}.")
    String seed;

    @Option(names = "--clipping", descriptionKey = "locas.clipping",
            description = "reparameterize (clip rows in the forward pass) or post_step_projection; default "
                    + "${DEFAULT-VALUE}.")
    String clipping;

    @Option(names = "--lr", descriptionKey = "locas.lr", description = "AdamW learning rate; default ${DEFAULT-VALUE}.")
    String lr;
}
