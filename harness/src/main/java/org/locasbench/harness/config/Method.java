package org.locasbench.harness.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What is attached to the frozen model while an experiment streams its data. */
public enum Method {
    /** The frozen model with the protocol's context (context truncation). */
    NONE("none"),
    /** The frozen model with a longer attention context ({@code window.longContext}). */
    LONG_CONTEXT("long_context"),
    /** Locas memory, memorized on the first window and trained on every window. */
    LOCAS("locas"),
    /** LoRA on all seven projections (Temp-Lora), trained on every window. */
    LORA("lora");

    private final String id;

    Method(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    public boolean trains() {
        return this == LOCAS || this == LORA;
    }

    @JsonCreator
    public static Method parse(String name) {
        for (Method m : values()) {
            if (m.id.equalsIgnoreCase(name) || m.name().equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + name + "'; use none, long_context, locas or lora");
    }
}
