package org.locasbench.harness.config;

import java.util.List;

/**
 * Section {@code mmlu}: MMLU by answer NLL and the forgetting protocol (base vs after memorizing a PG-19 book).
 *
 * @param dir a folder with test/ and dev/ CSVs in the hendrycks layout; null = the bundled data/mmlu
 * @param subjects subjects to run; null = all found
 * @param shots dev examples before each question
 * @param questionsPerSubject only the first N test questions of each subject; null = all
 * @param forgettingManifest the PG-19 manifest of the forgetting book; null = the bundled one
 * @param forgettingBook the PG-19 book memorized before the forgetting variants
 * @param forgettingMaxTokens only the book's first N tokens are memorized; null = the whole book
 * @param batchSize prompts scored per forward (right-padded to the batch's longest)
 * @param batchTokens cap on rows x padded length per forward (with sharePrefix: rows x (prefix + padded suffix));
 *     null = none
 * @param sharePrefix compute a subject's shared prompt prefix (header and shots) once and score only each question's
 *     own tokens after it (same NLL as full prompts; off = every prompt whole, as lm-eval runs them)
 */
public record MmluSettings(String dir, List<String> subjects, int shots, Integer questionsPerSubject,
        String forgettingManifest, String forgettingBook, Integer forgettingMaxTokens, int batchSize,
        Integer batchTokens, boolean sharePrefix) {
    public MmluSettings {
        ConfigException.require(subjects == null || !subjects.isEmpty(), "mmlu.subjects",
                "must list at least one subject, or be null for all");
        ConfigException.require(shots >= 0, "mmlu.shots", "must be >= 0, got " + shots);
        ConfigException.require(questionsPerSubject == null || questionsPerSubject >= 1, "mmlu.questionsPerSubject",
                "must be >= 1, got " + questionsPerSubject);
        ConfigException.require(forgettingBook != null, "mmlu.forgettingBook", "must name a PG-19 book id");
        ConfigException.require(forgettingMaxTokens == null || forgettingMaxTokens >= 2, "mmlu.forgettingMaxTokens",
                "must be >= 2, got " + forgettingMaxTokens);
        ConfigException.require(batchSize >= 1, "mmlu.batchSize", "must be >= 1, got " + batchSize);
        ConfigException.require(batchTokens == null || batchTokens >= 1, "mmlu.batchTokens", "must be >= 1 or null, "
                + "got " + batchTokens);
        subjects = subjects == null ? null : List.copyOf(subjects);
    }
}
