package org.locasbench.locas;

/** How the unit-norm constraint on the rows of G, K, V is enforced. */
public enum Clipping {
    /** {@code X~ = clip(X)} inside the forward pass, differentiable (default, as in the paper). */
    REPARAMETERIZE,
    /** Plain X in the forward pass; after every optimizer step the rows are projected back onto the unit ball. */
    POST_STEP_PROJECTION;

    public static Clipping parse(String name) {
        for (Clipping c : values()) {
            if (c.name().equalsIgnoreCase(name.replace('-', '_'))) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown clipping '" + name + "'; use reparameterize or post_step_projection");
    }
}
