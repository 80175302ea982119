package org.locasbench.results;

import java.util.List;

/**
 * Every key a {@link Result} uses, in one place: metric names (this class), breakdown names ({@link Breakdowns}),
 * series names ({@link Series}), experiment ids ({@link Experiments}), method ids ({@link Methods}) and LoCoMo's
 * category names ({@link LocomoCategories}). Producers and readers use these constants, never spelled-out strings.
 */
public final class Metrics {
    private Metrics() {}

    // ---- every experiment -------------------------------------------------------------------------------------------
    /** Trainable parameters the method adds to the frozen model (0 for none / long_context / base). */
    public static final String PARAMS_ADDED = "params_added";
    /** Wall time of the run (training and evaluation), seconds. */
    public static final String WALL_SECONDS = "wall_seconds";
    /** Tokens processed per wall second. */
    public static final String TOKENS_PER_SECOND = "tokens_per_second";
    /** Seconds the worker spent warming up (every window shape once, before a timed run meets it; in no wall time). */
    public static final String WARMUP_SECONDS = "warmup_seconds";
    /**
     * Median seconds of one window (its score and its training): the steady cost, without a run's one-off work (the
     * memory's initialisation at window 0, a CUDA graph's capture) that the wall time includes.
     */
    public static final String MEDIAN_WINDOW_SECONDS = "median_window_seconds";

    // ---- pg19, ablation (streaming) --------------------------------------------------------------------------------
    /** Book perplexity: exp of the token-weighted mean NLL over every scored token. */
    public static final String PPL = "ppl";
    /** Token-weighted mean NLL over every scored token, nats ({@code ln(ppl)}). */
    public static final String MEAN_NLL = "mean_nll";
    /** Temp-Lora's token-weighted window perplexity. */
    public static final String TEMP_LORA_PPL = "temp_lora_ppl";
    /** {@link #PARAMS_ADDED} as a percentage of the frozen model's parameters. */
    public static final String PARAMS_ADDED_PERCENT = "params_added_percent";
    /** Wall time divided by the same unit's {@code none} wall time (absent when none did not run). */
    public static final String WALL_RELATIVE_TO_NONE = "wall_relative_to_none";
    /** Tokens streamed. */
    public static final String TOKENS = "tokens";
    /** Windows scored. */
    public static final String WINDOWS = "windows";
    /** Estimated FLOPs of scoring and training. */
    public static final String FLOPS_ESTIMATE = "flops_estimate";
    /** Mean NLL of window k (0-based), i.e. after training on k windows; see {@link #nllAfterWindows}. */
    /** pg19 / ablation: mean seconds of training per window (0 for the frozen methods). */
    public static final String TRAIN_SECONDS_PER_WINDOW = "train_seconds_per_window";
    /** pg19 / ablation: tokens GRPO sampled over the stream (0 for the other losses). */
    public static final String TOKENS_SAMPLED = "tokens_sampled";
    public static final String NLL_AFTER_1_WINDOWS = "nll_after_1_windows";
    public static final String NLL_AFTER_2_WINDOWS = "nll_after_2_windows";
    public static final String NLL_AFTER_4_WINDOWS = "nll_after_4_windows";

    /** {@code nll_after_K_windows}: the ablation writes k = 1, 2, 4 (when the run has more than k windows). */
    public static String nllAfterWindows(int k) {
        return "nll_after_" + k + "_windows";
    }

    // ---- mmlu ----------------------------------------------------------------------------------------------------
    /** Mean over subjects of the per-subject accuracy. */
    public static final String MACRO_ACCURACY = "macro_accuracy";
    /** Correct answers over all questions. */
    public static final String MICRO_ACCURACY = "micro_accuracy";
    /** Questions evaluated (mmlu, locomo). */
    public static final String QUESTIONS = "questions";
    /** Questions answered per wall second (mmlu, locomo). */
    public static final String QUESTIONS_PER_SECOND = "questions_per_second";

    // ---- locomo --------------------------------------------------------------------------------------------------
    /** LoCoMo's score averaged over every question (category 5 by the "not mentioned" check). */
    public static final String OVERALL_F1 = "overall_f1";
    /** F1 averaged over the questions of categories 1-4. */
    public static final String OVERALL_F1_CATEGORIES_1_TO_4 = "overall_f1_categories_1_to_4";
    /** F1 of the prediction against category 5's adversarial answer (lower is better). */
    public static final String ADVERSARIAL_F1 = "adversarial_f1";
    /** {@code -adversarial_f1}, so that higher is better like the other scores. */
    public static final String ADVERSARIAL_NEGATIVE_F1 = "adversarial_negative_f1";
    /** Tokens of the whole dialogue. */
    public static final String DIALOGUE_TOKENS = "dialogue_tokens";
    /** Seconds spent memorizing the dialogue (0 for the frozen methods). */
    public static final String TRAIN_SECONDS = "train_seconds";
    /** Seconds spent generating answers. */
    public static final String ANSWER_SECONDS = "answer_seconds";

    /** Names of {@link Result#breakdowns()}: one value per key (mark, subject, category). */
    public static final class Breakdowns {
        private Breakdowns() {}

        /** pg19 / ablation: PPL of the tokens up to each cumulative mark; key: the mark in tokens ("1024"). */
        public static final String PPL_AT = "ppl_at";
        /** Marks past the end of the stream (mark -> the stream's tokens): no PPL there, shown as a dash. */
        public static final String PPL_AT_ABSENT = "ppl_at_absent";
        /** mmlu: accuracy per subject; key: subject ("global_facts"). */
        public static final String ACCURACY_BY_SUBJECT = "accuracy_by_subject";
        /** mmlu: questions evaluated per subject. */
        public static final String QUESTIONS_BY_SUBJECT = "questions_by_subject";
        /** locomo: mean score per category; key: {@link LocomoCategories} name. */
        public static final String F1_BY_CATEGORY = "f1_by_category";
        /** locomo: questions per category. */
        public static final String QUESTIONS_BY_CATEGORY = "questions_by_category";
    }

    /** Names of {@link Result#series()}: one value per window, aligned by index; null where a value is missing. */
    public static final class Series {
        private Series() {}

        /** Token offset where each window ends (x of the per-window curves). */
        public static final String WINDOW_END = "window_end";
        /** Mean NLL of each window, scored before training on it. */
        public static final String WINDOW_NLL = "window_nll";
        /** Training loss on each window; null where the method does not train or the loss was not finite. */
        public static final String TRAIN_LOSS = "train_loss";
        /** The adapter's trainable scalars after each window (an expandable memory grows; 0 when frozen). */
        public static final String PARAMETERS = "parameters";
    }

    /** {@link Result#experiment()} ids. */
    public static final class Experiments {
        private Experiments() {}

        public static final String PG19 = "pg19";
        public static final String ABLATION = "ablation";
        public static final String MMLU = "mmlu";
        public static final String LOCOMO = "locomo";
        public static final List<String> ALL = List.of(PG19, LOCOMO, MMLU, ABLATION);

        /** The name people read (reports, Allure epics): "PG-19", "Init ablation", "MMLU", "LoCoMo". */
        public static String title(String experiment) {
            return switch (experiment) {
                case PG19 -> "PG-19";
                case ABLATION -> "Init ablation";
                case MMLU -> "MMLU";
                case LOCOMO -> "LoCoMo";
                default -> throw new IllegalArgumentException("unknown experiment '" + experiment + "'");
            };
        }

        /** A result's work unit for people: "book 10146", "conversation conv-26", "57 subjects". */
        public static String unitTitle(String experiment, String unit) {
            return switch (experiment) {
                case PG19, ABLATION -> "book " + unit;
                case LOCOMO -> "conversation " + unit;
                case MMLU -> {
                    int n = unit.isEmpty() ? 0 : unit.split(",").length;
                    yield n == 1 ? unit : n + " subjects";
                }
                default -> throw new IllegalArgumentException("unknown experiment '" + experiment + "'");
            };
        }
    }

    /** {@link MethodInfo#id()} values, and the MMLU variant that is the baseline. */
    public static final class Methods {
        private Methods() {}

        public static final String NONE = "none";
        public static final String LONG_CONTEXT = "long_context";
        public static final String LOCAS = "locas";
        public static final String LORA = "lora";
        /** {@link MethodInfo#variant()} of MMLU's unmodified model. */
        public static final String BASE_VARIANT = "base";
    }

    /** LoCoMo's question categories: 1 multi_hop, 2 temporal, 3 open_domain, 4 single_hop, 5 adversarial. */
    public static final class LocomoCategories {
        private LocomoCategories() {}

        /** In category order (index 0 is category 1). */
        public static final List<String> NAMES = List.of("multi_hop", "temporal", "open_domain", "single_hop",
                "adversarial");

        /** The name of category 1..5; the key of {@link Breakdowns#F1_BY_CATEGORY} and {@link Answer#group()}. */
        public static String of(int category) {
            if (category < 1 || category > NAMES.size()) {
                throw new IllegalArgumentException("LoCoMo category " + category + " is not 1..5");
            }
            return NAMES.get(category - 1);
        }
    }
}
