package org.locasbench.results;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One evaluated question (MMLU, LoCoMo), in evaluation order.
 *
 * @param group MMLU: the subject; LoCoMo: the category name ({@link Metrics.LocomoCategories#of})
 * @param question the question text (without k-shot examples or dialogue)
 * @param gold the reference answer (MMLU: the letter); null where the data set has none
 * @param prediction what the model answered (MMLU: the letter of the lowest-NLL option; LoCoMo: generated text)
 * @param score MMLU: 1 correct / 0 wrong; LoCoMo: its score (F1, or the category-5 check)
 * @param adversarialF1 LoCoMo category 5: F1 against the adversarial answer; null otherwise
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"group", "question", "gold", "prediction", "score", "adversarial_f1"})
public record Answer(String group, String question, String gold, String prediction, double score,
        Double adversarialF1) {

    public Answer {
        Checks.requiredText(group, "answers[].group");
        Checks.required(question, "answers[].question");
        Checks.required(prediction, "answers[].prediction");
        Checks.finite(score, "answer score of '" + question + "'");
        Checks.finiteOrNull(adversarialF1, "adversarial F1 of '" + question + "'");
    }

    /** An answer without an adversarial score. */
    public static Answer of(String group, String question, String gold, String prediction, double score) {
        return new Answer(group, question, gold, prediction, score, null);
    }
}
