package org.locasbench.harness.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.locasbench.harness.config.LocomoSettings.PromptStyle;
import org.locasbench.harness.data.LocomoConversation;

/**
 * LoCoMo's official QA prompts, as its task_eval/gpt_utils.py writes them (strings copied from there, typo
 * included), and its category-5 answer mapping.
 */
class LocomoPromptTest {
    static LocomoConversation.Qa qa(int category, String question, String answer, String adversarial) {
        return new LocomoConversation.Qa(question, answer, adversarial, category, List.of());
    }

    @Test
    void officialPromptsFollowLoCoMosTemplates() {
        var conv = new LocomoConversation("conv-x", "Caroline", "Melanie", List.of(), List.of());
        assertThat(LocomoPrompt.header(PromptStyle.OFFICIAL, conv)).isEqualTo("Below is a conversation between two "
                + "people: Caroline and Melanie. The conversation takes place over multiple days and the date of each "
                + "conversation is wriiten at the beginning of the conversation.\n\n");
        assertThat(LocomoPrompt.header(PromptStyle.SHORT, conv)).isEmpty();
        Random order = new Random(0);
        assertThat(LocomoPrompt.question(PromptStyle.OFFICIAL, qa(1, "Where did Caroline move from?", "Sweden", null),
                order).text()).isEqualTo("\n\nBased on the above context, write an answer in the form of a short "
                + "phrase for the following question. Answer with exact words from the context whenever possible.\n\n"
                + "Question: Where did Caroline move from? Short answer:\n");
        assertThat(LocomoPrompt.question(PromptStyle.OFFICIAL, qa(2, "When did Melanie paint a sunrise?", "2022",
                null), order).text()).contains("Question: When did Melanie paint a sunrise? Use DATE of CONVERSATION "
                + "to answer with an approximate date. Short answer:\n");
        assertThat(LocomoPrompt.question(PromptStyle.SHORT, qa(2, "When?", "2022", null), order).text())
                .isEqualTo("Question: When?\nShort answer:");
    }

    /** LoCoMo's get_input_context turn form (the caption line after the turn's newline, as LoCoMo writes it). */
    @Test
    void sessionsAreWrittenInLoCoMosTurnFormat() {
        var session = new LocomoConversation.Session(1, "1:56 pm on 8 May, 2023", List.of(
                new LocomoConversation.Turn("Caroline", "D1:1", "Hey Mel!", null),
                new LocomoConversation.Turn("Melanie", "D1:2", "Look at this.", "a photo of a dog")));
        assertThat(LocomoPrompt.session(PromptStyle.OFFICIAL, session)).isEqualTo("DATE: 1:56 pm on 8 May, 2023\n"
                + "CONVERSATION:\nCaroline said, \"Hey Mel!\"\n\nMelanie said, \"Look at this.\"\n and shared a photo of "
                + "a dog.\n\n");
        assertThat(LocomoPrompt.session(PromptStyle.SHORT, session)).isEqualTo("DATE: 1:56 pm on 8 May, 2023\n"
                + "Caroline: Hey Mel!\nMelanie: Look at this.\n\n");
    }

    @Test
    void categoryFiveOffersBothOptionsInASeededOrderAndMapsLetterReplies() {
        LocomoConversation.Qa adversarial = qa(5, "What did Caroline realize after her charity race?", null,
                "self-care is important");
        int notMentionedFirst = 0;
        Random order = new Random(7);
        for (int i = 0; i < 200; i++) {
            LocomoPrompt.Question q = LocomoPrompt.question(PromptStyle.OFFICIAL, adversarial, order);
            assertThat(q.text()).startsWith("\n\nBased on the above context, answer the following question.\n\n"
                    + "Question: What did Caroline realize after her charity race? Select the correct answer: (a) ")
                    .endsWith(".  Short answer:\n"); // LoCoMo's template leaves two spaces there
            assertThat(List.of(q.optionA(), q.optionB())).containsExactlyInAnyOrder(LocomoPrompt.NOT_MENTIONED,
                    "self-care is important");
            notMentionedFirst += q.optionA().equals(LocomoPrompt.NOT_MENTIONED) ? 1 : 0;
            assertThat(LocomoPrompt.resolve(q, "a")).isEqualTo(q.optionA());
            assertThat(LocomoPrompt.resolve(q, " (b) ")).isEqualTo(q.optionB());
            assertThat(LocomoPrompt.resolve(q, "She realized it")).isEqualTo("She realized it");
        }
        assertThat(notMentionedFirst).as("both orders occur, about half each").isBetween(70, 130);
        // the same seed gives the same orders (a rerun asks the same prompts)
        LocomoPrompt.Question first = LocomoPrompt.question(PromptStyle.OFFICIAL, adversarial, new Random(7));
        assertThat(LocomoPrompt.question(PromptStyle.OFFICIAL, adversarial, new Random(7))).isEqualTo(first);
        assertThat(LocomoPrompt.resolve(LocomoPrompt.question(PromptStyle.OFFICIAL, qa(1, "Q?", "x", null),
                new Random(0)), "a")).as("only category 5 maps letters").isEqualTo("a");
    }
}
