package org.locasbench.harness.experiment;

import java.util.Locale;
import java.util.Random;
import org.locasbench.harness.config.LocomoSettings.PromptStyle;
import org.locasbench.harness.data.LocomoConversation;

/**
 * The QA prompt of a LoCoMo question, in one of two styles ({@code locomo.prompt}):
 * <ul>
 *   <li>{@code official}: LoCoMo's own ({@code task_eval/gpt_utils.py} of snap-research/LoCoMo): the conversation header
 *       before the dialogue, then "Based on the above context, write an answer in the form of a short phrase ...
 *       Question: Q Short answer:"; category 2 asks for an approximate date from the session dates; category 5 offers
 *       two options, "Not mentioned in the conversation" and the adversarial answer, in a random order (seeded here),
 *       and a reply of just "a" / "(b)" is mapped back to that option ({@link #resolve}), as LoCoMo does;</li>
 *   <li>{@code short}: the dialogue, then "Question: Q\nShort answer:" (this project's first form).</li>
 * </ul>
 */
final class LocomoPrompt {
    /** LoCoMo's CONV_START_PROMPT, verbatim (its spelling included). */
    static final String CONVERSATION_HEADER = "Below is a conversation between two people: %s and %s. The conversation "
            + "takes place over multiple days and the date of each conversation is wriiten at the beginning of the "
            + "conversation.\n\n";
    static final String QA = "\nBased on the above context, write an answer in the form of a short phrase for the "
            + "following question. Answer with exact words from the context whenever possible.\n\nQuestion: %s Short "
            + "answer:\n";
    static final String QA_CATEGORY_5 = "\nBased on the above context, answer the following question.\n\nQuestion: %s "
            + "Short answer:\n";
    static final String DATE_HINT = " Use DATE of CONVERSATION to answer with an approximate date.";
    static final String NOT_MENTIONED = "Not mentioned in the conversation";

    /** A question's text after the dialogue, and for category 5 the two options it offers (else null). */
    record Question(String text, String optionA, String optionB) {}

    private LocomoPrompt() {}

    /**
     * One session as the stream (memorized, and the context answers see) holds it. Official: LoCoMo's
     * {@code get_input_context} form, {@code DATE: d\nCONVERSATION:\n} and per turn {@code speaker said, "text"\n}
     * (with {@code  and shared CAPTION.} when the turn shared an image) and a blank line, sessions in time order (LoCoMo
     * itself prepends them latest first, an artefact of its truncation loop that a stream in time order cannot keep);
     * short: {@code DATE: d\n} and {@code speaker: text} lines.
     */
    static String session(PromptStyle style, LocomoConversation.Session s) {
        StringBuilder text = new StringBuilder("DATE: ").append(s.dateTime()).append('\n');
        if (style == PromptStyle.OFFICIAL) {
            text.append("CONVERSATION:\n");
            for (LocomoConversation.Turn t : s.turns()) {
                text.append(t.speaker()).append(" said, \"").append(t.text()).append("\"\n");
                if (t.blipCaption() != null) {
                    text.append(" and shared ").append(t.blipCaption()).append('.');
                }
                text.append('\n');
            }
        } else {
            for (LocomoConversation.Turn t : s.turns()) {
                text.append(t.speaker()).append(": ").append(t.text()).append('\n');
            }
        }
        return text.append('\n').toString();
    }

    /** What comes before the dialogue: LoCoMo's header in the official style, nothing in the short one. */
    static String header(PromptStyle style, LocomoConversation conv) {
        return style == PromptStyle.OFFICIAL ? String.format(CONVERSATION_HEADER, conv.speakerA(), conv.speakerB()) : "";
    }

    /** What follows the dialogue; {@code order} draws category 5's option order (LoCoMo: random.random() < 0.5). */
    static Question question(PromptStyle style, LocomoConversation.Qa qa, Random order) {
        if (style == PromptStyle.SHORT) {
            return new Question("Question: " + qa.question() + "\nShort answer:", null, null);
        }
        if (qa.category() == 5) {
            String adversarial = qa.adversarialAnswer() != null ? qa.adversarialAnswer() : qa.answer();
            boolean notMentionedFirst = order.nextDouble() < 0.5;
            String a = notMentionedFirst ? NOT_MENTIONED : adversarial;
            String b = notMentionedFirst ? adversarial : NOT_MENTIONED;
            String q = qa.question() + " Select the correct answer: (a) " + a + " (b) " + b + ". ";
            return new Question("\n" + String.format(QA_CATEGORY_5, q), a, b);
        }
        String q = qa.category() == 2 ? qa.question() + DATE_HINT : qa.question();
        return new Question("\n" + String.format(QA, q), null, null);
    }

    /** LoCoMo's get_cat_5_answer: a bare "a"/"b" or "(a)"/"(b)" reply means that option; anything else stays. */
    static String resolve(Question q, String prediction) {
        if (q.optionA() == null) {
            return prediction;
        }
        String p = prediction.strip().toLowerCase(Locale.ROOT);
        if (p.length() == 1) {
            return p.contains("a") ? q.optionA() : q.optionB();
        }
        if (p.length() == 3) {
            return p.contains("(a)") ? q.optionA() : q.optionB();
        }
        return prediction;
    }
}
