package org.locasbench.harness.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Streaming-protocol, loss and reliability options shared by {@code ttt}, {@code lora-ttt} and {@code speed}; each
 * stands for a config key (its {@code descriptionKey}) and defaults to {@code experiments/common.yaml}.
 */
public final class TrainingOptions {
    @Option(names = "--window", descriptionKey = "window.size",
            description = "New tokens per window (default ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--context", descriptionKey = "window.context",
            description = "Context before each window (default ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--loss", descriptionKey = "training.loss",
            description = "NTP, SD, MIX or GRPO (default ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--lambda", descriptionKey = "training.mixLambda",
            description = "MIX weight of NTP (default ${DEFAULT-VALUE}).")
    String lambda;

    @Option(names = "--teacher-context", descriptionKey = "training.teacherContext",
            description = "SD teacher context (default ${DEFAULT-VALUE}).")
    String teacherContext;

    @Option(names = "--student-context", descriptionKey = "training.studentContext",
            description = "SD student context (default ${DEFAULT-VALUE}).")
    String studentContext;

    @Option(names = "--steps", descriptionKey = "training.stepsPerWindow",
            description = "Optimiser steps per window (default ${DEFAULT-VALUE}).")
    String steps;

    @Option(names = "--grpo-group", descriptionKey = "grpo.group", description = "GRPO: samples per prompt (default ${DEFAULT-VALUE}).")
    String groupOption;

    @Option(names = "--grpo-prompts", descriptionKey = "grpo.prompts", description = "GRPO: prompts (prefixes) per window (default ${DEFAULT-VALUE}).")
    String promptsOption;

    @Option(names = "--grpo-length", descriptionKey = "grpo.length", description = "GRPO: tokens per sample (default ${DEFAULT-VALUE}).")
    String lengthOption;

    @Option(names = "--grpo-reward", descriptionKey = "grpo.reward", description = "GRPO: token_f1, exact_prefix or rouge_l (default ${DEFAULT-VALUE}).")
    String rewardOption;

    @Option(names = "--grpo-clip", descriptionKey = "grpo.clip", description = "GRPO: ratio clip epsilon (default ${DEFAULT-VALUE}).")
    String clipOption;

    @Option(names = "--grpo-beta", descriptionKey = "grpo.beta", description = "GRPO: KL weight (default ${DEFAULT-VALUE}).")
    String betaOption;

    @Option(names = "--grpo-inner-steps", descriptionKey = "grpo.innerSteps", description = "GRPO: optimiser steps per sampled group (default ${DEFAULT-VALUE}).")
    String innerStepsOption;

    @Option(names = "--temperature", descriptionKey = "grpo.temperature", description = "GRPO sampling temperature (default ${DEFAULT-VALUE}).")
    String temperatureOption;

    @Option(names = "--top-k", descriptionKey = "grpo.topK", description = "GRPO sampling top-k, 0 = off (default ${DEFAULT-VALUE}).")
    String topKOption;

    @Option(names = "--top-p", descriptionKey = "grpo.topP", description = "GRPO sampling top-p, 1 = off (default ${DEFAULT-VALUE}).")
    String topPOption;

    @Option(names = "--stop-tokens", descriptionKey = "grpo.stopTokens", description = "GRPO: token ids that end a sample, comma-separated (default ${DEFAULT-VALUE}).")
    String stopTokensOption;

    @Option(names = "--grpo-micro-batch", descriptionKey = "grpo.microBatch", description = "GRPO: samples per "
            + "policy forward/backward (default: the whole group).")
    String microBatchOption;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the JSON results here instead of stdout.")
    Path json;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", descriptionKey = "reliability.checkpointDir",
            description = "Write a crash-safe checkpoint (adapter, optimiser, metrics so far) here.")
    String checkpointDir;

    @Option(names = "--checkpoint-every", descriptionKey = "reliability.checkpointEvery",
            description = "Windows between checkpoints (default ${DEFAULT-VALUE}).")
    String checkpointEvery;

    @Option(names = "--resume", descriptionKey = "reliability.resume",
            description = "Continue from the checkpoint in --checkpoint-dir.")
    boolean resume;

    @Option(names = "--on-non-finite", descriptionKey = "reliability.onNonFinite",
            description = "stop or skip_window: what a NaN/Inf training loss does (default ${DEFAULT-VALUE}).")
    String onNonFinite;

    /** Adds --json and --checkpoint-dir to the command's output check. */
    void checkOutputs(OutputCheck check) {
        check.file("--json", json).directory("--checkpoint-dir", checkpointDir == null ? null : Path.of(checkpointDir));
    }
}
