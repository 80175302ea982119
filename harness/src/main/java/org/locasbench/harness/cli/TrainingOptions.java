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

    @Option(names = "--loss", descriptionKey = "training.loss", description = "NTP, SD or MIX (default ${DEFAULT-VALUE}).")
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
