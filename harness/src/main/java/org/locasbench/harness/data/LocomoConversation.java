package org.locasbench.harness.data;

import java.util.List;

/** One LoCoMo sample: two speakers, dated sessions of turns, and QA items about them. */
public record LocomoConversation(String sampleId, String speakerA, String speakerB, List<Session> sessions,
        List<Qa> qa) {

    /** One turn; {@code blipCaption} describes an image the speaker shared (null when none). */
    public record Turn(String speaker, String diaId, String text, String blipCaption) {}

    /** {@code dateTime} as LoCoMo writes it, e.g. "1:56 pm on 8 May, 2023". */
    public record Session(int index, String dateTime, List<Turn> turns) {
        /** The calendar date of the session ("8 May, 2023"): sessions on one date form a date_split group. */
        public String date() {
            int on = dateTime.indexOf(" on ");
            return on >= 0 ? dateTime.substring(on + 4).trim() : dateTime.trim();
        }
    }

    /**
     * @param answer the gold answer (categories 1-4), null for adversarial items
     * @param adversarialAnswer the misleading answer of category-5 items, else null
     */
    public record Qa(String question, String answer, String adversarialAnswer, int category, List<String> evidence) {}
}
