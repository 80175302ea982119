package org.locasbench.harness.experiment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Everything an experiment run depends on. Loaded from the experiment's defaults
 * ({@code experiments/<name>.yaml} on the classpath), then a user file (YAML or JSON), then {@code --set key=value}
 * overrides and {@code -Dlocas.set.key=value} system properties; see {@link ConfigLoader}.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ExperimentConfig(
        String experiment,
        String model,
        List<String> devices,
        String precision,
        List<String> methods,
        long seed,
        // streaming protocol
        int window,
        int context,
        int longContext,
        Integer maxTokens,
        // Locas
        int memoryWidth,
        String init,
        String clipping,
        double lr,
        // LoRA
        int loraRank,
        double loraAlpha,
        double loraDropout,
        double loraLr,
        // training
        String loss,
        double mixLambda,
        int stepsPerWindow,
        int teacherContext,
        int studentContext,
        // PG-19
        String pg19Manifest,
        List<String> books,
        List<Integer> marks,
        // LoCoMo
        String locomoFile,
        List<String> conversations,
        String contextMode,
        int recentContext,
        int maxAnswerTokens,
        Integer maxQuestions,
        // MMLU
        String mmluDir,
        List<String> subjects,
        int shots,
        Integer questionsPerSubject,
        Integer mmluBatchSize,
        Integer mmluBatchTokens,
        String forgettingBook,
        // ablation
        List<String> inits,
        List<Integer> widths,
        // reliability
        String onNonFinite,
        String checkpointDir,
        int checkpointEvery,
        boolean resume) {

    public ExperimentConfig {
        require(window > 0, "window", "must be a positive number of tokens, got " + window);
        require(context >= 0, "context", "must be >= 0, got " + context);
        require(memoryWidth > 0, "memoryWidth", "must be positive, got " + memoryWidth);
        require(loraRank > 0, "loraRank", "must be positive, got " + loraRank);
        require(lr > 0, "lr", "must be a positive learning rate, got " + lr);
        require(loraLr > 0, "loraLr", "must be a positive learning rate, got " + loraLr);
        require(stepsPerWindow > 0, "stepsPerWindow", "must be >= 1, got " + stepsPerWindow);
        require(maxTokens == null || maxTokens >= 2, "maxTokens", "must be >= 2, got " + maxTokens);
        require(devices != null && !devices.isEmpty(), "devices", "must list at least one device (cpu, gpu:0, ...)");
        require(methods != null && !methods.isEmpty(), "methods", "must list at least one of none, locas, lora");
        methods.forEach(Method::parse);
        require(shots >= 0, "shots", "must be >= 0, got " + shots);
        // MMLU's batching keys have their defaults in experiments/mmlu.yaml only; other experiments ignore them
        require(!"mmlu".equals(experiment) || mmluBatchSize != null, "mmluBatchSize",
                "must be set (prompts per forward, >= 1)");
        require(mmluBatchSize == null || mmluBatchSize >= 1, "mmluBatchSize", "must be >= 1 prompt per forward, got "
                + mmluBatchSize);
        require(mmluBatchTokens == null || mmluBatchTokens >= 1, "mmluBatchTokens",
                "must be >= 1 (rows x padded length per forward) or null for no cap, got " + mmluBatchTokens);
        require(onNonFinite.equals("stop") || onNonFinite.equals("skip"), "onNonFinite", "must be stop or skip, got "
                + onNonFinite);
        require(checkpointEvery >= 1, "checkpointEvery", "must be >= 1 window, got " + checkpointEvery);
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid config value '" + field + "': " + message);
        }
    }

    /** Seed, NaN policy and checkpointing of one run; checkpoints go to {@code checkpointDir/<run name>}. */
    public org.locasbench.harness.ttt.RunOptions runOptions(String runName, String fingerprint) {
        return new org.locasbench.harness.ttt.RunOptions(seed, onNonFinite.equals("skip")
                ? org.locasbench.harness.ttt.TestTimeTrainer.NonFinitePolicy.SKIP_WINDOW
                : org.locasbench.harness.ttt.TestTimeTrainer.NonFinitePolicy.STOP,
                checkpointDir == null ? null : java.nio.file.Path.of(checkpointDir, runName), checkpointEvery, resume,
                fingerprint);
    }

    public List<Method> methodList() {
        return methods.stream().map(Method::parse).toList();
    }
}
