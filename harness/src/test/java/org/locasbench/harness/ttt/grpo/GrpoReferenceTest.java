package org.locasbench.harness.ttt.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.locasbench.locas.Clipping;
import org.locasbench.locas.InitStrategy;
import org.locasbench.locas.LocasEquations;
import org.locasbench.locas.LocasMemory;
import org.locasbench.locas.MemoryInfo;
import org.locasbench.locas.MemoryLayer;
import org.locasbench.model.Precision;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.TestData;
import org.locasbench.model.adapter.GradientScope;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.safetensors.SafetensorsFile;

/**
 * GRPO's objective against the independent PyTorch implementation in data/fixtures/make_grpo_fixtures.py (run on the
 * GPU machine): for fixed prompt, sampled tokens (with padding), rewards and pi_old on tiny-qwen3 with the fixed
 * Locas memory of locas-reference.safetensors, the log-probs of policy and reference, the advantages, the loss and its
 * gradients w.r.t. every G, K, V. fp64 on both sides, with LocasMemoryTest's NTP tolerances: log-probs and loss within
 * 1e-6, gradients within 1e-4 relative (L2), because transformers computes RoPE's cos/sin in fp32 even in an fp64 model
 * (observed: log-probs up to 4.3e-7 apart, the loss 7.9e-9, gradients 7.0e-7 relative); fp32: the loss within 2e-5 relative. 8 of the 14 sampled
 * tokens' ratios fall outside the clip range, so both branches of the surrogate are exercised.
 */
class GrpoReferenceTest {
    static final Path TINY = TestData.fixture("tiny-qwen3");
    static final SafetensorsFile GRPO = SafetensorsFile.open(TINY.resolve("grpo-reference.safetensors"));
    static final SafetensorsFile MEMORY = SafetensorsFile.open(TINY.resolve("locas-reference.safetensors"));

    @Test
    void lossLogProbsAndGradientsMatchTorchInFp64() {
        try (Qwen3Model model = Qwen3Model.load(TINY, Precision.FP64, Device.cpu());
                LocasMemory memory = fixtureMemory(model, DataType.FLOAT64);
                NDManager scope = model.manager().newSubManager();
                GradientScope gc = GradientScope.recording()) {
            GrpoWindow.Group g = fixtureGroup(model, scope, DataType.FLOAT64);
            assertMasked(g.refLogp(), GRPO.doubles("ref_logp"), g.mask(), 1e-6, "pi_ref log-probs");
            NDArray logp = GrpoObjective.sampledLogProbs(model, memory, scope, g.prompt(), g.samples(),
                    (int) GRPO.entry("samples").shape()[1]);
            assertMasked(logp, GRPO.doubles("policy_logp"), g.mask(), 1e-6, "pi log-probs");
            assertThat(g.advantages()).containsExactly(GRPO.doubles("advantages"), offset(1e-12));
            NDArray loss = GrpoObjective.loss(logp, g.oldLogp(), g.refLogp(), g.advantages(), g.mask(), 0.2, 0.04);
            System.out.printf("GRPO loss %.12f vs torch %.12f%n", loss.getDouble(), GRPO.doubles("loss")[0]);
            assertThat(loss.getDouble()).isCloseTo(GRPO.doubles("loss")[0], offset(1e-6));
            gc.backward(loss);
            for (int i = 0; i < memory.layers(); i++) {
                MemoryLayer layer = memory.layer(i);
                assertRelativeError(layer.gate().getGradient().toDoubleArray(), GRPO.doubles("layer" + i
                        + ".grad.gate"), "layer " + i + " dL/dG");
                assertRelativeError(layer.key().getGradient().toDoubleArray(), GRPO.doubles("layer" + i
                        + ".grad.key"), "layer " + i + " dL/dK");
                assertRelativeError(layer.value().getGradient().toDoubleArray(), GRPO.doubles("layer" + i
                        + ".grad.value"), "layer " + i + " dL/dV");
            }
        }
    }

    /**
     * {@code grpo.microBatch}: the objective of GrpoWindow in parts of 1, 2, 3 and 4 samples, each part backpropagated
     * on its own, gives the reference's loss and gradients (the parts add up to the whole group's objective).
     */
    @Test
    void microBatchedPartsAddUpToTheReferenceLossAndGradients() {
        for (int micro : new int[] {1, 2, 3, 4}) {
            try (Qwen3Model model = Qwen3Model.load(TINY, Precision.FP64, Device.cpu());
                    LocasMemory memory = fixtureMemory(model, DataType.FLOAT64);
                    GradientScope gc = GradientScope.recording()) {
                NDManager scope = model.manager().newSubManager();
                GrpoWindow.Group group = fixtureGroup(model, scope, DataType.FLOAT64);
                long[][] samples = group.samples();
                int length = (int) GRPO.entry("samples").shape()[1];
                var settings = new org.locasbench.harness.config.GrpoSettings(samples.length, 1, length, 0.2, 0.04,
                        1, RewardKind.TOKEN_F1, 1e-4, 1.0, 0, 1.0, List.of(), micro);
                try (GrpoWindow window = GrpoWindow.of(scope, List.of(group), settings)) {
                    var objective = window.objective(model, memory);
                    assertThat(objective.parts()).isEqualTo((samples.length + micro - 1) / micro);
                    double loss = 0;
                    for (int p = 0; p < objective.parts(); p++) {
                        try (NDManager part = model.manager().newSubManager()) {
                            NDArray value = objective.part(p, part);
                            loss += value.getDouble();
                            gc.backward(value);
                        }
                    }
                    assertThat(loss).as("micro-batch %d", micro).isCloseTo(GRPO.doubles("loss")[0], offset(1e-6));
                    for (int i = 0; i < memory.layers(); i++) {
                        assertRelativeError(memory.layer(i).value().getGradient().toDoubleArray(),
                                GRPO.doubles("layer" + i + ".grad.value"), "micro-batch " + micro + " layer " + i
                                + " dL/dV");
                        assertRelativeError(memory.layer(i).gate().getGradient().toDoubleArray(),
                                GRPO.doubles("layer" + i + ".grad.gate"), "micro-batch " + micro + " layer " + i
                                + " dL/dG");
                    }
                }
            }
        }
    }

    /**
     * With one inner step the window keeps no pi_old (it is pi at that step): the loss and gradients from pi's detached
     * log-probs equal those from a separate no-gradient forward of the same policy, bit for bit on CPU in fp64.
     */
    @Test
    void oneInnerStepNeedsNoSeparatePiOldForward() {
        double[][] lossAndGrad = new double[2][];
        for (int variant = 0; variant < 2; variant++) {
            try (Qwen3Model model = Qwen3Model.load(TINY, Precision.FP64, Device.cpu());
                    LocasMemory memory = fixtureMemory(model, DataType.FLOAT64);
                    GradientScope gc = GradientScope.recording()) {
                NDManager scope = model.manager().newSubManager();
                GrpoWindow.Group fixture = fixtureGroup(model, scope, DataType.FLOAT64);
                int length = (int) GRPO.entry("samples").shape()[1];
                NDArray old = null;
                if (variant == 1) {
                    try (GradientScope off = GradientScope.paused()) {
                        old = GrpoObjective.sampledLogProbs(model, memory, scope, fixture.prompt(), fixture.samples(),
                                length);
                    }
                }
                var group = new GrpoWindow.Group(fixture.prompt(), fixture.samples(), fixture.rewards(),
                        fixture.advantages(), old, fixture.refLogp(), fixture.mask());
                var settings = new org.locasbench.harness.config.GrpoSettings(fixture.samples().length, 1, length,
                        0.2, 0.04, 1, RewardKind.TOKEN_F1, 1e-4, 1.0, 0, 1.0, List.of(), null);
                try (GrpoWindow window = GrpoWindow.of(scope, List.of(group), settings)) {
                    var objective = window.objective(model, memory);
                    double loss;
                    try (NDManager part = model.manager().newSubManager()) {
                        NDArray value = objective.part(0, part);
                        loss = value.getDouble();
                        gc.backward(value);
                    }
                    double[] grad = memory.layer(0).value().getGradient().toDoubleArray();
                    lossAndGrad[variant] = java.util.stream.DoubleStream.concat(java.util.stream.DoubleStream.of(
                            loss), java.util.Arrays.stream(grad)).toArray();
                }
            }
        }
        assertThat(lossAndGrad[0]).containsExactly(lossAndGrad[1]);
        assertThat(lossAndGrad[0][0]).as("a real loss, not an empty objective").isNotZero();
    }

    @Test
    void lossMatchesTorchInFp32() {
        try (Qwen3Model model = Qwen3Model.load(TINY, Precision.FP32, Device.cpu());
                LocasMemory memory = fixtureMemory(model, DataType.FLOAT32);
                NDManager scope = model.manager().newSubManager();
                GradientScope off = GradientScope.paused()) {
            GrpoWindow.Group g = fixtureGroup(model, scope, DataType.FLOAT32);
            NDArray logp = GrpoObjective.sampledLogProbs(model, memory, scope, g.prompt(), g.samples(),
                    (int) GRPO.entry("samples").shape()[1]);
            double loss = GrpoObjective.loss(logp, g.oldLogp(), g.refLogp(), g.advantages(), g.mask(), 0.2, 0.04)
                    .toType(DataType.FLOAT64, false).getDouble();
            double expected = GRPO.doubles("loss")[0];
            assertThat(Math.abs(loss - expected)).isLessThan(2e-5 * Math.abs(expected));
        }
    }

    /** The fixture's group: prompt, samples, rewards, advantages, pi_old (given), pi_ref (the frozen model's), mask. */
    static GrpoWindow.Group fixtureGroup(Qwen3Model model, NDManager scope, DataType type) {
        long[] prompt = GRPO.longs("prompt");
        long[][] samples = samples();
        int length = (int) GRPO.entry("samples").shape()[1];
        NDArray ref;
        try (GradientScope off = GradientScope.paused()) {
            ref = GrpoObjective.sampledLogProbs(model, LayerAdapter.NONE, scope, prompt, samples, length);
        }
        return new GrpoWindow.Group(prompt, samples, GRPO.doubles("rewards"), GrpoObjective.advantages(
                GRPO.doubles("rewards"), 1e-4), scope.create(GRPO.doubles("old_logp"), new Shape(samples.length,
                length)).toType(type, false), ref, GrpoObjective.mask(scope, samples, length, type));
    }

    static long[][] samples() {
        long[] flat = GRPO.longs("samples");
        long[] lengths = GRPO.longs("lengths");
        int length = (int) GRPO.entry("samples").shape()[1];
        long[][] samples = new long[lengths.length][];
        for (int g = 0; g < lengths.length; g++) {
            samples[g] = java.util.Arrays.copyOfRange(flat, g * length, g * length + (int) lengths[g]);
        }
        return samples;
    }

    static LocasMemory fixtureMemory(Qwen3Model model, DataType type) {
        int d = model.config().hiddenSize();
        List<MemoryLayer> layers = new ArrayList<>();
        for (int i = 0; i < model.config().numHiddenLayers(); i++) {
            List<NDArray> parts = new ArrayList<>();
            for (String name : new String[] {"gate", "key", "value"}) {
                parts.add(model.manager().create(MEMORY.doubles("layer" + i + ".memory." + name), new Shape(8, d))
                        .toType(type, false));
            }
            layers.add(new MemoryLayer(parts.get(0), parts.get(1), parts.get(2),
                    LocasEquations.tau(model.layer(i).downProj(), 8)));
        }
        return new LocasMemory(model.manager(), layers, new MemoryInfo(model.directory().toString(), "fixture", d,
                layers.size(), 8, InitStrategy.RANDOM, Clipping.REPARAMETERIZE, 7));
    }

    private static void assertMasked(NDArray actual, double[] expected, NDArray mask, double tolerance, String what) {
        double[] a = actual.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] m = mask.toType(DataType.FLOAT64, false).toDoubleArray();
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            if (m[i] > 0) {
                worst = Math.max(worst, Math.abs(a[i] - expected[i]));
                assertThat(a[i]).as("%s [%d]", what, i).isCloseTo(expected[i], offset(tolerance));
            }
        }
        System.out.printf("%s: max |Java - torch| %.3g%n", what, worst);
    }

    private static void assertRelativeError(double[] ours, double[] reference, String what) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < ours.length; i++) {
            diff += (ours[i] - reference[i]) * (ours[i] - reference[i]);
            norm += reference[i] * reference[i];
        }
        assertThat(norm).as("%s is not zero in the reference", what).isGreaterThan(0);
        System.out.printf("%s: relative error %.3g%n", what, Math.sqrt(diff / norm));
        assertThat(Math.sqrt(diff / norm)).as(what).isLessThan(1e-4);
    }
}
