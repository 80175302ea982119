package org.locasbench.harness.ttt.grpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.locasbench.model.Nll;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.adapter.Scoped;

/**
 * GRPO's objective for one group (DeepSeekMath, arXiv 2402.03300, eq. 3, outcome supervision): with o_1..o_G sampled
 * for one prompt q, rewards r_i and the ratio rho_it = pi(o_it | q, o_i,<t) / pi_old(o_it | q, o_i,<t),
 * <pre>
 *   A_i  = (r_i - mean(r)) / (std(r) + eps)                                std unbiased, as TRL's GRPOTrainer
 *   L    = 1/G sum_i 1/|o_i| sum_t [ -min(rho_it A_i, clip(rho_it, 1 - c, 1 + c) A_i) + beta KL_it ]
 *   KL_it = pi_ref/pi - log(pi_ref/pi) - 1                                   the k3 estimator (eq. 4)
 * </pre>
 * pi = the model with its trainable adapter, pi_ref = the frozen model, pi_old = pi when the group was sampled.
 */
public final class GrpoObjective {
    private GrpoObjective() {}

    /** {@code (r - mean) / (std + eps)} with the unbiased standard deviation; every value must be finite. */
    public static double[] advantages(double[] rewards, double eps) {
        if (rewards.length < 2) {
            throw new IllegalArgumentException("a group needs at least 2 rewards, got " + rewards.length);
        }
        double mean = 0;
        for (double r : rewards) {
            if (!Double.isFinite(r)) {
                throw new IllegalArgumentException("non-finite reward " + r);
            }
            mean += r / rewards.length;
        }
        double squares = 0;
        for (double r : rewards) {
            squares += (r - mean) * (r - mean);
        }
        double std = Math.sqrt(squares / (rewards.length - 1));
        double[] a = new double[rewards.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = (rewards[i] - mean) / (std + eps);
        }
        return a;
    }

    /** The group's tokens as one right-padded [G, length] batch (padding id 0 past each sample's length). */
    public static long[] padded(long[][] samples, int length) {
        long[] flat = new long[samples.length * length];
        for (int g = 0; g < samples.length; g++) {
            System.arraycopy(samples[g], 0, flat, g * length, samples[g].length);
        }
        return flat;
    }

    /** 1 where a sample has a token, 0 on its padding: [G, length] in {@code type}. */
    public static NDArray mask(NDManager scope, long[][] samples, int length, DataType type) {
        float[] m = new float[samples.length * length];
        for (int g = 0; g < samples.length; g++) {
            java.util.Arrays.fill(m, g * length, g * length + samples[g].length, 1f);
        }
        return scope.create(m, new Shape(samples.length, length)).toType(type, false);
    }

    /**
     * {@code log pi(o_gt | prompt, o_g,<t)} [G, length] in fp32 (fp64 for an fp64 model) for the group, from one
     * batched forward over prompt + samples; the LM head runs only on the positions that predict sampled tokens.
     * Differentiable with respect to the adapter's parameters when gradients are recorded.
     */
    public static NDArray sampledLogProbs(Qwen3Model model, LayerAdapter adapter, NDManager scope, long[] prompt,
            long[][] samples, int length) {
        int group = samples.length;
        int tp = prompt.length;
        long[] batch = new long[group * (tp + length)];
        long[] tokens = padded(samples, length);
        for (int g = 0; g < group; g++) {
            System.arraycopy(prompt, 0, batch, g * (tp + length), tp);
            System.arraycopy(tokens, g * length, batch, g * (tp + length) + tp, length);
        }
        NDArray input = scope.create(batch, new Shape(group, tp + length));
        NDArray hidden = model.hiddenStates(input, 0, adapter, null);
        NDArray logits = model.lmHead(hidden.get(":, " + (tp - 1) + ":" + (tp - 1 + length) + ", :"));
        NDArray logp = Nll.ofTargets(logits, scope.create(tokens, new Shape(group, length))).neg();
        return logp.getDataType() == DataType.FLOAT16 ? logp.toType(DataType.FLOAT32, false) : logp;
    }

    /** L above for one group; {@code oldLogp} and {@code refLogp} carry no gradient. */
    public static NDArray loss(NDArray logp, NDArray oldLogp, NDArray refLogp, double[] advantages, NDArray mask,
            double clip, double beta) {
        NDManager scope = logp.getManager();
        NDArray adv = scope.create(advantages).toType(logp.getDataType(), false).expandDims(1);
        // log-ratios are masked before exp, so a padding position can never overflow into inf * 0 = NaN
        NDArray ratio = logp.sub(oldLogp).mul(mask).exp();
        NDArray clipped = ratio.clip(1 - clip, 1 + clip);
        NDArray surrogate = ratio.mul(adv).minimum(clipped.mul(adv));
        NDArray logRefOverPolicy = refLogp.sub(logp).mul(mask);
        NDArray kl = logRefOverPolicy.exp().sub(logRefOverPolicy).sub(Scoped.scalar(logp, 1.0));
        NDArray perToken = surrogate.neg().add(kl.mul(Scoped.scalar(kl, beta)));
        NDArray perSample = perToken.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1}));
        return perSample.mean();
    }
}
