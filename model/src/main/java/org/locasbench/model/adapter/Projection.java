package org.locasbench.model.adapter;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The seven linear maps of a Qwen3 decoder layer, with their Hugging Face module names. */
public enum Projection {
    Q("self_attn.q_proj"), K("self_attn.k_proj"), V("self_attn.v_proj"), O("self_attn.o_proj"),
    GATE("mlp.gate_proj"), UP("mlp.up_proj"), DOWN("mlp.down_proj");

    /** The names {@link #fromModule} accepts, comma-separated as {@code --targets} takes them. */
    public static final String NAMES = Arrays.stream(values()).map(Projection::shortName)
            .collect(Collectors.joining(","));

    private final String module;

    Projection(String module) {
        this.module = module;
    }

    /** e.g. {@code self_attn.q_proj}; the weight is {@code model.layers.{i}.<module>.weight}. */
    public String module() {
        return module;
    }

    /** e.g. {@code q_proj}, as PEFT's {@code target_modules} and {@code --targets} name it. */
    public String shortName() {
        return module.substring(module.indexOf('.') + 1);
    }

    public String weightName(int layer) {
        return "model.layers." + layer + "." + module + ".weight";
    }

    /** Whether {@code name} is exactly a short ({@code q_proj}) or full ({@code self_attn.q_proj}) module name. */
    public static boolean isModule(String name) {
        return Arrays.stream(values()).anyMatch(p -> p.shortName().equals(name) || p.module.equals(name));
    }

    /**
     * The projection named exactly {@code q_proj} or {@code self_attn.q_proj} (no suffix matching: {@code proj} is
     * not {@code q_proj}); anything else is an error listing the valid names.
     */
    public static Projection fromModule(String name) {
        for (Projection p : values()) {
            if (p.shortName().equals(name) || p.module.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown projection '" + name + "'; valid names: " + NAMES);
    }
}
