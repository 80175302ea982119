package org.locasbench.model.adapter;

/** The seven linear maps of a Qwen3 decoder layer, with their Hugging Face module names. */
public enum Projection {
    Q("self_attn.q_proj"), K("self_attn.k_proj"), V("self_attn.v_proj"), O("self_attn.o_proj"),
    GATE("mlp.gate_proj"), UP("mlp.up_proj"), DOWN("mlp.down_proj");

    private final String module;

    Projection(String module) {
        this.module = module;
    }

    /** e.g. {@code self_attn.q_proj}; the weight is {@code model.layers.{i}.<module>.weight}. */
    public String module() {
        return module;
    }

    public String weightName(int layer) {
        return "model.layers." + layer + "." + module + ".weight";
    }

    public static Projection fromModule(String name) {
        for (Projection p : values()) {
            if (p.module.endsWith(name) || p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown projection '" + name
                + "'; use q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj or down_proj");
    }
}
