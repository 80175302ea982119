package org.locasbench.harness.config;

import java.util.List;

/**
 * Section {@code locomo}: LoCoMo long-dialogue QA.
 *
 * @param file a LoCoMo JSON (locomo10.json layout); null = the bundled data/locomo/locomo-mini.json
 * @param conversations sample ids to run; null = all
 * @param contextMode how the dialogue is cut into training windows
 * @param recentContext tokens of the dialogue's end the answering model sees (the long_context method sees
 *     {@code window.longContext})
 * @param maxQuestions answer only the first N questions of each conversation; null = all
 * @param prompt the QA prompt: {@code official} (LoCoMo's gpt_utils prompts) or {@code short}
 */
public record LocomoSettings(String file, List<String> conversations, ContextMode contextMode, int recentContext,
        int maxAnswerTokens, Integer maxQuestions, PromptStyle prompt) {

    /** {@code official}: LoCoMo's header, instruction, category-2 date hint, category-5 options; {@code short}. */
    public enum PromptStyle {
        OFFICIAL, SHORT;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code date_split}: the sessions of one date form a group; windows never cross a group. */
    public enum ContextMode {
        DATE_SPLIT;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public LocomoSettings {
        ConfigException.require(conversations == null || !conversations.isEmpty(), "locomo.conversations",
                "must list at least one sample id, or be null for all");
        ConfigException.require(contextMode != null, "locomo.contextMode", "must be date_split");
        ConfigException.require(prompt != null, "locomo.prompt", "must be official or short");
        ConfigException.require(recentContext >= 0, "locomo.recentContext", "must be >= 0, got " + recentContext);
        ConfigException.require(maxAnswerTokens >= 1, "locomo.maxAnswerTokens", "must be >= 1, got "
                + maxAnswerTokens);
        ConfigException.require(maxQuestions == null || maxQuestions >= 1, "locomo.maxQuestions", "must be >= 1, got "
                + maxQuestions);
        conversations = conversations == null ? null : List.copyOf(conversations);
    }
}
