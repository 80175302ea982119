package org.locasbench.harness.ttt.grpo;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** How a sampled continuation is scored against the text's true continuation (both as token ids). */
public enum RewardKind {
    /** F1 of the two bags of tokens (SQuAD's token F1, on ids): 2 P R / (P + R) over the multiset overlap. */
    TOKEN_F1,
    /** Length of the longest common prefix over the true continuation's length. */
    EXACT_PREFIX,
    /** ROUGE-L F1: LCS / |sample| and LCS / |truth| combined as 2 P R / (P + R). */
    ROUGE_L;

    @JsonCreator
    public static RewardKind parse(String name) {
        for (RewardKind k : values()) {
            if (k.name().equalsIgnoreCase(name.replace('-', '_'))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown reward '" + name + "'; use token_f1, exact_prefix or rouge_l");
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
