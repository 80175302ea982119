package org.locasbench.results;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** One small, fixed result of each experiment kind, built through the producer API. */
public final class SampleResults {
    private SampleResults() {}

    public static final String MODEL = "data/models/tiny-qwen3-gutenberg";

    public static Environment environment(String device) {
        Map<String, String> libs = new LinkedHashMap<>();
        libs.put("java", "17.0.15");
        libs.put("djl", "0.35.1");
        libs.put("engine", "PyTorch 2.7.1");
        libs.put("jackson", "2.22.4");
        return new Environment("0123456789abcdef0123456789abcdef01234567", "2026-02-01T12:00:00Z",
                new Environment.Hardware(device, 2, "Linux 6.1", "amd64", 4096), libs);
    }

    public static ObjectNode config(String experiment) {
        ObjectNode c = JsonNodeFactory.instance.objectNode().put("experiment", experiment).put("window", 256)
                .put("context", 256).put("seed", 0);
        c.putNull("marks");
        return c;
    }

    /** PG-19, Locas: 3 windows, the first without a training loss. */
    public static Result pg19() {
        return Result.builder(Metrics.Experiments.PG19, Result.nameOf("pg19", "10146", "locas[highest,r=64]"), "10146")
                .method(MethodInfo.of(Metrics.Methods.LOCAS, "locas[highest,r=64]", 64, MODEL).withInit("highest"))
                .metric(Metrics.PPL, 41.5).metric(Metrics.MEAN_NLL, 3.725)
                .metric(Metrics.TEMP_LORA_PPL, 42.25).metric(Metrics.PARAMS_ADDED, 393216)
                .metric(Metrics.PARAMS_ADDED_PERCENT, 4.6875).metric(Metrics.WALL_SECONDS, 5.25)
                .metric(Metrics.TOKENS_PER_SECOND, 146.25).metric(Metrics.TOKENS, 768).metric(Metrics.WINDOWS, 3)
                .metric(Metrics.FLOPS_ESTIMATE, 1.5e11).metric(Metrics.NLL_AFTER_1_WINDOWS, 3.75)
                .metric(Metrics.NLL_AFTER_2_WINDOWS, 3.5).metric(Metrics.WALL_RELATIVE_TO_NONE, 3.5)
                .breakdown(Metrics.Breakdowns.PPL_AT, "256", 38.5).breakdown(Metrics.Breakdowns.PPL_AT, "768", 41.5)
                .append(Metrics.Series.WINDOW_END, 256.0).append(Metrics.Series.WINDOW_END, 512.0)
                .append(Metrics.Series.WINDOW_END, 768.0)
                .append(Metrics.Series.WINDOW_NLL, 3.625).append(Metrics.Series.WINDOW_NLL, 3.75)
                .append(Metrics.Series.WINDOW_NLL, 3.5)
                .append(Metrics.Series.TRAIN_LOSS, null).append(Metrics.Series.TRAIN_LOSS, 3.75)
                .append(Metrics.Series.TRAIN_LOSS, 3.5)
                .environment(environment("cpu")).config(config("pg19")).build();
    }

    /** The ablation: Locas with another init, no wall_relative_to_none (none does not run there). */
    public static Result ablation() {
        return Result.builder(Metrics.Experiments.ABLATION, Result.nameOf("ablation", "10146",
                        "locas[random_index,r=16]"), "10146")
                .method(MethodInfo.of(Metrics.Methods.LOCAS, "locas[random_index,r=16]", 16, MODEL)
                        .withInit("random_index"))
                .metric(Metrics.PPL, 42.0).metric(Metrics.NLL_AFTER_1_WINDOWS, 3.8)
                .metric(Metrics.nllAfterWindows(2), 3.55).metric(Metrics.nllAfterWindows(4), 3.6)
                .breakdown(Metrics.Breakdowns.PPL_AT, Map.of(1024, 43.0))
                .series(Metrics.Series.WINDOW_END, java.util.List.of(256.0, 512.0))
                .series(Metrics.Series.WINDOW_NLL, java.util.List.of(3.7, 3.6))
                .environment(environment("cpu")).config(config("ablation")).build();
    }

    /** MMLU, the Locas sidecar after memorizing book 10146: two subjects, one question each. */
    public static Result mmlu() {
        return Result.builder(Metrics.Experiments.MMLU, Result.nameOf("mmlu", "locas-sidecar"),
                        "global_facts,marketing")
                .method(MethodInfo.of(Metrics.Methods.LOCAS, "locas-sidecar", 64, MODEL).withVariant("locas-sidecar")
                        .withForgettingBook("10146"))
                .metric(Metrics.MACRO_ACCURACY, 0.5).metric(Metrics.MICRO_ACCURACY, 0.5)
                .metric(Metrics.QUESTIONS, 2).metric(Metrics.PARAMS_ADDED, 393216)
                .metric(Metrics.WALL_SECONDS, 2.0).metric(Metrics.TOKENS_PER_SECOND, 400)
                .metric(Metrics.QUESTIONS_PER_SECOND, 1.0)
                .breakdown(Metrics.Breakdowns.ACCURACY_BY_SUBJECT, "global_facts", 1.0)
                .breakdown(Metrics.Breakdowns.ACCURACY_BY_SUBJECT, "marketing", 0.0)
                .breakdown(Metrics.Breakdowns.QUESTIONS_BY_SUBJECT, "global_facts", 1)
                .breakdown(Metrics.Breakdowns.QUESTIONS_BY_SUBJECT, "marketing", 1)
                .answer(Answer.of("global_facts", "How many continents are there?", "C", "C", 1))
                .answer(Answer.of("marketing", "What is a brand?", "A", "D", 0))
                .environment(environment("[cpu]")).config(config("mmlu")).build();
    }

    /** LoCoMo, no memory: a temporal and an adversarial question. */
    public static Result locomo() {
        return Result.builder(Metrics.Experiments.LOCOMO, Result.nameOf("locomo", "conv-26", "none"), "conv-26")
                .method(MethodInfo.of(Metrics.Methods.NONE, "none", 0, MODEL).withContext("date_split", 128))
                .metric(Metrics.OVERALL_F1, 0.25).metric(Metrics.OVERALL_F1_CATEGORIES_1_TO_4, 0.5)
                .metric(Metrics.ADVERSARIAL_F1, 0.125).metric(Metrics.ADVERSARIAL_NEGATIVE_F1, -0.125)
                .metric(Metrics.QUESTIONS, 2).metric(Metrics.DIALOGUE_TOKENS, 2654).metric(Metrics.PARAMS_ADDED, 0)
                .metric(Metrics.TRAIN_SECONDS, 0).metric(Metrics.ANSWER_SECONDS, 4.0)
                .metric(Metrics.WALL_SECONDS, 4.0).metric(Metrics.TOKENS_PER_SECOND, 80)
                .breakdown(Metrics.Breakdowns.F1_BY_CATEGORY, Metrics.LocomoCategories.of(2), 0.5)
                .breakdown(Metrics.Breakdowns.F1_BY_CATEGORY, Metrics.LocomoCategories.of(5), 0.0)
                .breakdown(Metrics.Breakdowns.QUESTIONS_BY_CATEGORY, Metrics.LocomoCategories.of(2), 1)
                .breakdown(Metrics.Breakdowns.QUESTIONS_BY_CATEGORY, Metrics.LocomoCategories.of(5), 1)
                .answer(Answer.of("temporal", "When did Caroline go to the support group?", "7 May 2023",
                        "May 2023", 0.5))
                .answer(new Answer("adversarial", "What did Melanie's dog paint?", null, "a sunrise", 0.0, 0.125))
                .environment(environment("cpu")).config(config("locomo")).build();
    }

    public static java.util.List<Result> all() {
        return java.util.List.of(pg19(), ablation(), mmlu(), locomo());
    }
}
