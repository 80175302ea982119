package org.locasbench.harness.ttt;

/** What the memory is trained to do on each window. */
public enum LossKind {
    /** Next-token cross-entropy on the window's new tokens (with the protocol's context). */
    NTP,
    /** Self-distillation: KL(teacher || student), teacher = frozen model with long context, student = with memory, short context. */
    SD,
    /** lambda * NTP + (1 - lambda) * SD. */
    MIX,
    /** GRPO on sampled continuations of the window's prefixes, rewarded against the text (section {@code grpo}). */
    GRPO;

    public static LossKind parse(String name) {
        for (LossKind k : values()) {
            if (k.name().equalsIgnoreCase(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name + "'; use NTP, SD, MIX or GRPO");
    }
}
