package org.locasbench.harness.ttt.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.locasbench.model.adapter.GradientScope;

/** GRPO's advantage normalisation, ratio clipping and k3 KL on values worked out by hand; the rewards likewise. */
class GrpoObjectiveTest {
    @Test
    void advantagesAreNormalisedByTheUnbiasedStandardDeviation() {
        // rewards 1, 2, 3, 6: mean 3, squares 4 + 1 + 0 + 9 = 14, unbiased std sqrt(14 / 3) = 2.1602469
        double[] a = GrpoObjective.advantages(new double[] {1, 2, 3, 6}, 1e-4);
        double std = Math.sqrt(14.0 / 3);
        assertThat(a).containsExactly(new double[] {-2 / (std + 1e-4), -1 / (std + 1e-4), 0, 3 / (std + 1e-4)},
                offset(1e-12));
        assertThat(a[0]).isCloseTo(-0.925777, offset(1e-6));
        // equal rewards: no signal, every advantage 0 (eps keeps it finite)
        assertThat(GrpoObjective.advantages(new double[] {0.5, 0.5, 0.5}, 1e-4)).containsExactly(0, 0, 0);
        assertThatThrownBy(() -> GrpoObjective.advantages(new double[] {1}, 1e-4)).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> GrpoObjective.advantages(new double[] {1, Double.NaN}, 1e-4))
                .hasMessageContaining("non-finite reward");
    }

    /**
     * One group of 2 samples x 2 tokens, beta 0 (surrogate only), clip 0.2, advantages +1 / -1:
     * sample 0 (A = +1): rho = e^0.5 = 1.6487 -> min(1.6487, 1.2) = 1.2 (clipped, no gradient); rho = 1 -> 1.
     * sample 1 (A = -1): rho = e^-0.5 = 0.6065 -> min(-0.6065, -0.8) = -0.8 (clipped); rho = e^0.1 = 1.1052 -> -1.1052.
     * Per sample means: (1.2 + 1) / 2 = 1.1 and (-0.8 - 1.1052) / 2 = -0.9526; loss = -(1.1 - 0.9526) / 2 = -0.0737.
     * Gradient w.r.t. logp: only unclipped tokens: d/dlogp of -rho A / (2 * 2) = -rho A / 4.
     */
    @Test
    void clippedRatiosCarryNoGradientAndTheLossIsTheHandValue() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu()); GradientScope gc = GradientScope.recording()) {
            NDArray logp = m.create(new double[] {0.5, 0.0, -0.5, 0.1}, new Shape(2, 2));
            logp.setRequiresGradient(true);
            NDArray old = m.zeros(new Shape(2, 2), logp.getDataType());
            NDArray mask = m.ones(new Shape(2, 2), logp.getDataType());
            NDArray loss = GrpoObjective.loss(logp, old, logp.duplicate(), new double[] {1, -1}, mask, 0.2, 0.0);
            double expected = -((1.2 + 1.0) / 2 + (-0.8 - Math.exp(0.1)) / 2) / 2;
            assertThat(loss.getDouble()).isCloseTo(expected, offset(1e-12));
            gc.backward(loss);
            assertThat(logp.getGradient().toDoubleArray()).containsExactly(new double[] {0, -0.25, 0,
                Math.exp(0.1) / 4}, offset(1e-12));
        }
    }

    /** k3 KL = e^(ref - logp) - (ref - logp) - 1: at ref - logp = ln 2, 2 - ln 2 - 1 = 0.3068528; 0 where they agree. */
    @Test
    void klIsTheK3EstimatorMaskedAndAveragedPerSample() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray logp = m.create(new double[] {-1.0, -2.0, -3.0, -4.0}, new Shape(2, 2));
            NDArray ref = m.create(new double[] {-1.0 + Math.log(2), -2.0, -3.0, 99}, new Shape(2, 2));
            NDArray mask = m.create(new double[] {1, 1, 1, 0}, new Shape(2, 2)); // sample 1 has one token
            // advantages 0: only beta * KL; sample 0: (0.3068528 + 0) / 2, sample 1: 0 / 1 (the padding's 99 masked)
            NDArray loss = GrpoObjective.loss(logp, logp, ref, new double[] {0, 0}, mask, 0.2, 0.5);
            assertThat(loss.getDouble()).isCloseTo(0.5 * (2 - Math.log(2) - 1) / 2 / 2, offset(1e-12));
        }
    }

    @Test
    void rewardsOnTokenIds() {
        long[] truth = {5, 6, 7, 8};
        assertThat(Rewards.tokenF1(truth, truth)).isEqualTo(1.0);
        // sample {5, 9, 6}: overlap 2, precision 2/3, recall 2/4 -> F1 = 2 * (2/3 * 1/2) / (2/3 + 1/2) = 4/7
        assertThat(Rewards.tokenF1(new long[] {5, 9, 6}, truth)).isCloseTo(4.0 / 7, offset(1e-12));
        assertThat(Rewards.tokenF1(new long[] {6, 6, 6}, truth)).as("a repeated token counts once per occurrence in "
                + "the truth").isCloseTo(2 * (1.0 / 3) * 0.25 / (1.0 / 3 + 0.25), offset(1e-12));
        assertThat(Rewards.exactPrefix(new long[] {5, 6, 9, 8}, truth)).isEqualTo(0.5);
        assertThat(Rewards.exactPrefix(new long[] {9, 6, 7, 8}, truth)).isZero();
        // LCS of {5, 7, 9, 8} and {5, 6, 7, 8} is {5, 7, 8}: P = R = 3/4
        assertThat(Rewards.rougeL(new long[] {5, 7, 9, 8}, truth)).isCloseTo(0.75, offset(1e-12));
        assertThat(Rewards.rougeL(new long[] {8, 7, 6, 5}, truth)).isCloseTo(0.25, offset(1e-12));
        assertThat(Rewards.of(RewardKind.ROUGE_L, new long[0], truth)).isZero();
    }
}
