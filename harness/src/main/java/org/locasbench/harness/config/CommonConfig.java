package org.locasbench.harness.config;

/** The sections every experiment and every streaming command share; defaults in {@code experiments/common.yaml}. */
public record CommonConfig(RunSettings run, WindowSettings window, LocasSettings locas, LoraSettings lora,
        TrainingSettings training, GrpoSettings grpo, ReliabilitySettings reliability) {

    public static final java.util.List<String> SECTIONS = java.util.List.of("run", "window", "locas", "lora",
            "training", "grpo", "reliability");

    public CommonConfig withRun(RunSettings r) {
        return new CommonConfig(r, window, locas, lora, training, grpo, reliability);
    }

    public CommonConfig withLocas(LocasSettings l) {
        return new CommonConfig(run, window, l, lora, training, grpo, reliability);
    }
}
