package org.locasbench.harness.cli;

import picocli.CommandLine.Option;

/** LoRA hyper-parameters; each option stands for a key of the {@code lora} section. */
public final class LoraOptions {
    @Option(names = "--rank", descriptionKey = "lora.rank", description = "LoRA rank r (default ${DEFAULT-VALUE}).")
    String rank;

    @Option(names = "--alpha", descriptionKey = "lora.alpha", description = "LoRA alpha (default ${DEFAULT-VALUE}).")
    String alpha;

    @Option(names = "--dropout", descriptionKey = "lora.dropout",
            description = "LoRA dropout (default ${DEFAULT-VALUE}).")
    String dropout;

    @Option(names = "--targets", descriptionKey = "lora.targets",
            description = "Projections to adapt, comma-separated (default ${DEFAULT-VALUE}).")
    String targets;

    @Option(names = "--lr", descriptionKey = "lora.lr", description = "AdamW learning rate (default ${DEFAULT-VALUE}).")
    String lr;

    @Option(names = "--seed", descriptionKey = "run.seed",
            description = "Seed of A's initialisation and of dropout (default ${DEFAULT-VALUE}).")
    String seed;
}
