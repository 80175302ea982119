package org.locasbench.harness.cli;

import java.nio.file.Path;
import org.locasbench.harness.ttt.LossKind;
import org.locasbench.harness.ttt.RunOptions;
import org.locasbench.harness.ttt.TestTimeTrainer;
import org.locasbench.harness.ttt.TrainingConfig;
import picocli.CommandLine.Option;

/** Streaming-protocol and optimiser options shared by {@code ttt} (Locas) and {@code lora-ttt}. */
public final class TrainingOptions {
    @Option(names = "--window", defaultValue = "256", description = "New tokens per window (default ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--context", defaultValue = "256", description = "Context before each window (default ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--loss", defaultValue = "NTP", description = "NTP (default), SD or MIX.")
    String loss;

    @Option(names = "--lambda", defaultValue = "0.5", description = "MIX weight of NTP (default ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--teacher-context", defaultValue = "1024", description = "SD teacher context (default ${DEFAULT-VALUE}).")
    int teacherContext;

    @Option(names = "--student-context", defaultValue = "64", description = "SD student context (default ${DEFAULT-VALUE}).")
    int studentContext;

    @Option(names = "--lr", description = "AdamW learning rate (default: 1e-3 for Locas, 5e-5 for LoRA as Temp-Lora).")
    Double lr;

    @Option(names = "--steps", defaultValue = "1", description = "Optimiser steps per window (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the JSON results here instead of stdout.")
    Path json;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Write a crash-safe checkpoint (adapter, optimiser, metrics so far) here.")
    Path checkpointDir;

    @Option(names = "--checkpoint-every", defaultValue = "10",
            description = "Windows between checkpoints (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue from the checkpoint in --checkpoint-dir.")
    boolean resume;

    @Option(names = "--on-non-finite", defaultValue = "stop",
            description = "stop (default) or skip: what a NaN/Inf training loss does.")
    String onNonFinite;

    /** Adds --json and --checkpoint-dir to the command's output check; checks --resume and --on-non-finite too. */
    void checkOutputs(OutputCheck check) {
        check.file("--json", json).directory("--checkpoint-dir", checkpointDir);
        runOptions(0, "");
    }

    RunOptions runOptions(long seed, String fingerprint) {
        if (resume && checkpointDir == null) {
            throw new IllegalArgumentException("--resume needs --checkpoint-dir");
        }
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("--checkpoint-every must be >= 1 window, got " + checkpointEvery);
        }
        TestTimeTrainer.NonFinitePolicy policy = switch (onNonFinite.toLowerCase(java.util.Locale.ROOT)) {
            case "stop" -> TestTimeTrainer.NonFinitePolicy.STOP;
            case "skip" -> TestTimeTrainer.NonFinitePolicy.SKIP_WINDOW;
            default -> throw new IllegalArgumentException("--on-non-finite must be stop or skip, got '" + onNonFinite
                    + "'");
        };
        return new RunOptions(seed, policy, checkpointDir, checkpointEvery, resume, fingerprint);
    }

    TrainingConfig apply(TrainingConfig preset) {
        TrainingConfig c = preset.withLoss(LossKind.parse(loss)).withSteps(steps)
                .withContexts(teacherContext, studentContext).withMixLambda(lambda);
        return lr == null ? c : c.withLearningRate(lr);
    }
}
