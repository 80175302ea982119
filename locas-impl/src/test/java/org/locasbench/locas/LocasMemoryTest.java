package org.locasbench.locas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.locasbench.model.ModelFormatException;
import org.locasbench.model.Nll;
import org.locasbench.model.Precision;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.TestData;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.safetensors.SafetensorsFile;
import org.locasbench.model.safetensors.StoredType;

class LocasMemoryTest {
    static final Path TINY = TestData.fixture("tiny-qwen3");
    static final SafetensorsFile REF = SafetensorsFile.open(TINY.resolve("locas-reference.safetensors"));
    static final SafetensorsFile IDS = SafetensorsFile.open(TINY.resolve("reference.safetensors"));

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(InitStrategy.class)
    void freshMemoryLeavesLogitsBitIdentical(InitStrategy init) {
        try (Qwen3Model model = Qwen3Model.load(TestData.bundledModel());
                NDManager scope = model.manager().newSubManager()) {
            long[] ids = new java.util.Random(3).longs(64, 0, 8192).toArray();
            NDArray input = scope.create(ids, new Shape(1, 64));
            try (LocasMemory memory = Memorizer.memorize(model, ids, 32, init, 11, Clipping.REPARAMETERIZE)) {
                assertThat(memory.layer(0).value().sum().getFloat()).isZero();
                // float[] equality is Arrays.equals: bit patterns, not tolerances
                assertThat(model.logits(input, 0, memory, null).toFloatArray())
                        .isEqualTo(model.logits(input).toFloatArray());
            }
        }
    }

    @Test
    void clippingScalesLongRowsToUnitNormLeavesShortRowsAndIsDifferentiable() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            double[] rows = {3, 4, 0, /* norm 5 */ 0.1, 0.2, 0.2, /* norm 0.3 */ 0, 0, 1, /* norm 1 */ 0, 0, 0 /* zero */};
            NDArray w = m.create(rows, new Shape(4, 3));
            double[] clipped = LocasEquations.clipRows(w).toDoubleArray();
            assertThat(clipped).containsExactly(new double[] {0.6, 0.8, 0, 0.1, 0.2, 0.2, 0, 0, 1, 0, 0, 0},
                    offset(1e-12));

            // gradient of sum(c * clip(w)) against central finite differences, fp64
            NDArray c = m.create(new double[] {1, -2, 0.5, 3, 1, -1, 2, 0.25, -0.5, 4, 5, 6}, new Shape(4, 3));
            w.setRequiresGradient(true);
            double[] grad;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.zeroGradients();
                gc.backward(LocasEquations.clipRows(w).mul(c).sum());
            }
            grad = w.getGradient().toDoubleArray();
            double h = 1e-6;
            for (int i = 0; i < rows.length; i++) {
                double[] plus = rows.clone();
                double[] minus = rows.clone();
                plus[i] += h;
                minus[i] -= h;
                double fd = (objective(m, plus, c) - objective(m, minus, c)) / (2 * h);
                assertThat(grad[i]).as("d/dw[%d]", i).isCloseTo(fd, offset(1e-7));
            }
            assertThat(grad[3]).as("short rows pass gradients through unchanged").isCloseTo(3.0, offset(1e-12));
            assertThat(new double[] {grad[9], grad[10], grad[11]}).as("a zero row (V at init) gets a finite gradient")
                    .containsExactly(new double[] {4, 5, 6}, offset(1e-12));
        }
    }

    private static double objective(NDManager m, double[] w, NDArray c) {
        return LocasEquations.clipRows(m.create(w, new Shape(4, 3))).mul(c).sum().getDouble();
    }

    /** Indices, G/K rows and tau against the independent torch implementation in make_fixtures.py. */
    @Test
    void memorizeMatchesTheTorchReference() {
        int width = Integer.parseInt(REF.metadata().get("width"));
        long[] ids = IDS.longs("ids");
        try (Qwen3Model model = Qwen3Model.load(TINY)) {
            float[][] alpha = Memorizer.importance(model, ids);
            for (int i = 0; i < model.config().numHiddenLayers(); i++) {
                float[] expectedAlpha = REF.floats("layer" + i + ".alpha");
                for (int j = 0; j < expectedAlpha.length; j++) {
                    assertThat(alpha[i][j]).isCloseTo(expectedAlpha[j], offset(1e-6f + 1e-5f * expectedAlpha[j]));
                }
                assertThat(Memorizer.select(alpha[i], width, InitStrategy.HIGHEST, null))
                        .containsExactly(toInts(REF.longs("layer" + i + ".highest")));
                assertThat(Memorizer.select(alpha[i], width, InitStrategy.LOWEST, null))
                        .containsExactly(toInts(REF.longs("layer" + i + ".lowest")));
            }
            try (LocasMemory memory = Memorizer.memorize(model, ids, width, InitStrategy.HIGHEST, 0,
                    Clipping.REPARAMETERIZE)) {
                for (int i = 0; i < memory.layers(); i++) {
                    MemoryLayer layer = memory.layer(i);
                    assertThat(layer.gate().toFloatArray()).containsExactly(REF.floats("layer" + i + ".highest_gate"),
                            offset(1e-6f));
                    assertThat(layer.key().toFloatArray()).containsExactly(REF.floats("layer" + i + ".highest_key"),
                            offset(1e-6f));
                    assertThat(layer.tau()).isCloseTo(REF.floats("layer" + i + ".tau")[0], offset(1e-7f));
                }
            }
        }
    }

    /** NTP loss and its gradients w.r.t. G, K, V (clipping active) against torch autograd in fp64. */
    @Test
    void ntpGradientsMatchTheTorchReferenceInFp64() {
        long[] ids = IDS.longs("ids");
        try (Qwen3Model model = Qwen3Model.load(TINY, Precision.FP64, Device.cpu());
                NDManager scope = model.manager().newSubManager();
                LocasMemory memory = fixtureMemory(model, DataType.FLOAT64)) {
            NDArray input = scope.create(ids, new Shape(1, ids.length));
            double loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.zeroGradients();
                NDArray l = Nll.perToken(model.logits(input, 0, memory, null), input).mean();
                loss = l.getDouble();
                gc.backward(l);
            }
            // transformers' Qwen3 RMSNorm and RoPE run in fp32 even in a .double() model, so the reference is fp64 up to
            // ~1e-8; our fp64 path is fp64 throughout
            assertThat(loss).isCloseTo(REF.doubles("ntp_loss")[0], offset(1e-6));
            for (int i = 0; i < memory.layers(); i++) {
                MemoryLayer layer = memory.layer(i);
                assertRelativeError(layer.gate().getGradient().toDoubleArray(), REF.doubles("layer" + i + ".grad.gate"));
                assertRelativeError(layer.key().getGradient().toDoubleArray(), REF.doubles("layer" + i + ".grad.key"));
                assertRelativeError(layer.value().getGradient().toDoubleArray(),
                        REF.doubles("layer" + i + ".grad.value"));
            }
        }
    }

    @Test
    void sidecarEqualsDenseFusedCheckpointInJava() throws Exception {
        long[] ids = IDS.longs("ids");
        Path dense = tmp.resolve("dense");
        try (Qwen3Model model = Qwen3Model.load(TINY); NDManager scope = model.manager().newSubManager();
                LocasMemory memory = fixtureMemory(model, DataType.FLOAT32)) {
            NDArray input = scope.create(ids, new Shape(1, ids.length));
            float[] sidecar = Nll.perToken(model.logits(input, 0, memory, null), input).toFloatArray();
            float[] base = Nll.perToken(model.logits(input), input).toFloatArray();
            DenseFusion.toDense(model, memory, dense, StoredType.F32);
            try (Qwen3Model fused = Qwen3Model.load(dense)) {
                assertThat(fused.config().intermediateSize()).isEqualTo(192 + 8);
                float[] fusedNll = Nll.perToken(fused.logits(input), input).toFloatArray();
                assertThat(fusedNll).containsExactly(sidecar, offset(1e-5f));
                assertThat(maxAbsDiff(sidecar, base)).as("the memory must matter in this test").isGreaterThan(1e-3);
            }
            assertThatThrownBy(() -> DenseFusion.toDense(model, memory, dense, StoredType.F32))
                    .hasMessageContaining("exists and is not empty");
        }
    }

    /**
     * The checkpoint our to-dense writes, loaded by transformers on the GPU runner (fixture
     * dense-reference.safetensors), computes what our sidecar computes.
     */
    @Test
    void denseCheckpointInTransformersMatchesOurSidecar() throws Exception {
        SafetensorsFile ref = SafetensorsFile.open(TINY.resolve("dense-reference.safetensors"));
        try (Qwen3Model model = Qwen3Model.load(TINY); NDManager scope = model.manager().newSubManager();
                LocasMemory memory = MemoryFile.load(TINY.resolve("locas-memory.safetensors"), model)) {
            NDArray input = scope.create(ref.longs("ids"), new Shape(1, 24));
            NDArray logits = model.logits(input, 0, memory, null);
            float[] nll = Nll.perToken(logits, input).toFloatArray();
            double logitDiff = maxAbsDiff(logits.toFloatArray(), ref.floats("logits"));
            double nllDiff = maxAbsDiff(nll, ref.floats("nll"));
            System.out.printf("sidecar vs transformers(dense): max|logit diff| %.3g, max|NLL diff| %.3g%n",
                    logitDiff, nllDiff);
            assertThat(logitDiff).isLessThanOrEqualTo(1e-4);
            assertThat(nllDiff).isLessThanOrEqualTo(1e-5);
            assertThat(maxAbsDiff(Nll.perToken(model.logits(input), input).toFloatArray(), nll))
                    .as("the trained memory matters").isGreaterThan(1e-3);
            // and the export is reproducible: the same memory fuses to a checkpoint that gives the same NLL
            Path dense = tmp.resolve("dense-again");
            DenseFusion.toDense(model, memory, dense, StoredType.F32);
            try (Qwen3Model fused = Qwen3Model.load(dense)) {
                assertThat(maxAbsDiff(Nll.perToken(fused.logits(input), input).toFloatArray(), ref.floats("nll")))
                        .isLessThanOrEqualTo(1e-5);
            }
        }
    }

    @Test
    void memoryFileRoundTripsAndRefusesAnotherModelShape() throws Exception {
        Path file = tmp.resolve("memory.safetensors");
        try (Qwen3Model model = Qwen3Model.load(TINY)) {
            try (LocasMemory memory = fixtureMemory(model, DataType.FLOAT32)) {
                MemoryFile.save(memory, file);
                try (LocasMemory loaded = MemoryFile.load(file, model)) {
                    for (int i = 0; i < memory.layers(); i++) {
                        assertThat(loaded.layer(i).value().toFloatArray())
                                .containsExactly(memory.layer(i).value().toFloatArray());
                        assertThat(loaded.layer(i).tau()).isEqualTo(memory.layer(i).tau());
                    }
                    assertThat(loaded.info().width()).isEqualTo(8);
                }
            }
            SafetensorsFile raw = SafetensorsFile.open(file);
            assertThat(raw.entry("model.layers.1.mlp.memory.value").shape()).containsExactly(8, 64);
            assertThat(raw.entry("model.layers.0.mlp.memory.tau").shape()).containsExactly(1);
        }
        try (Qwen3Model other = Qwen3Model.load(TestData.fixture("tiny-qwen3-untied"))) {
            assertThatThrownBy(() -> MemoryFile.load(file, other)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("hidden_size 64 and 2 layers").hasMessageContaining(file.toString());
        }
    }

    @Test
    void strategiesProduceDifferentMemories() {
        long[] ids = IDS.longs("ids");
        try (Qwen3Model model = Qwen3Model.load(TINY)) {
            List<float[]> gates = new ArrayList<>();
            for (InitStrategy s : InitStrategy.values()) {
                try (LocasMemory memory = Memorizer.memorize(model, ids, 8, s, 5, Clipping.REPARAMETERIZE)) {
                    gates.add(memory.layer(0).gate().toFloatArray());
                }
            }
            for (int a = 0; a < gates.size(); a++) {
                for (int b = a + 1; b < gates.size(); b++) {
                    assertThat(gates.get(a)).isNotEqualTo(gates.get(b));
                }
            }
            try (LocasMemory a = Memorizer.memorize(model, ids, 8, InitStrategy.RANDOM_INDEX, 5, Clipping.REPARAMETERIZE);
                    LocasMemory b = Memorizer.memorize(model, ids, 8, InitStrategy.RANDOM_INDEX, 5, Clipping.REPARAMETERIZE)) {
                assertThat(a.layer(1).gate().toFloatArray()).as("same seed, same memory")
                        .containsExactly(b.layer(1).gate().toFloatArray());
            }
            assertThatThrownBy(() -> Memorizer.memorize(model, ids, 193, InitStrategy.HIGHEST, 0, Clipping.REPARAMETERIZE))
                    .hasMessageContaining("memory width must be in 1..192");
        }
    }

    @Test
    void postStepProjectionPutsRowsBackInTheUnitBall() {
        try (Qwen3Model model = Qwen3Model.load(TINY);
                LocasMemory memory = fixtureMemory(model, DataType.FLOAT32, Clipping.POST_STEP_PROJECTION)) {
            memory.afterOptimizerStep();
            for (NDArray p : memory.parameters()) {
                float[] norms = p.square().sum(new int[] {1}).sqrt().toFloatArray();
                for (float n : norms) {
                    assertThat(n).isLessThanOrEqualTo(1.0f + 1e-6f);
                }
            }
            assertThat(memory.layer(0).gate().get("0").square().sum().sqrt().getFloat()).isCloseTo(1f, offset(1e-6f));
        }
    }

    /** The fixed random memory of the torch reference (rows of norm > 1 included), with our own tau. */
    static LocasMemory fixtureMemory(Qwen3Model model, DataType type) {
        return fixtureMemory(model, type, Clipping.REPARAMETERIZE);
    }

    static LocasMemory fixtureMemory(Qwen3Model model, DataType type, Clipping clipping) {
        int layers = model.config().numHiddenLayers();
        int d = model.config().hiddenSize();
        List<MemoryLayer> memory = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            memory.add(new MemoryLayer(fixture(model, "layer" + i + ".memory.gate", d, type),
                    fixture(model, "layer" + i + ".memory.key", d, type),
                    fixture(model, "layer" + i + ".memory.value", d, type),
                    LocasEquations.tau(model.layer(i).downProj(), 8)));
        }
        return new LocasMemory(model.manager(), memory, new MemoryInfo(model.directory().toString(),
                org.locasbench.model.ModelFingerprint.of(model.directory()), d, layers, 8, InitStrategy.RANDOM,
                clipping, 7));
    }

    private static NDArray fixture(Qwen3Model model, String name, int d, DataType type) {
        return model.manager().create(REF.doubles(name), new Shape(8, d)).toType(type, false);
    }

    private static void assertRelativeError(double[] ours, double[] reference) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < ours.length; i++) {
            diff += (ours[i] - reference[i]) * (ours[i] - reference[i]);
            norm += reference[i] * reference[i];
        }
        double relative = Math.sqrt(diff / norm);
        System.out.printf("relative gradient error %.3g%n", relative);
        assertThat(relative).as("relative gradient error").isLessThanOrEqualTo(1e-4);
        assertThat(norm).isGreaterThan(0);
    }

    private static int[] toInts(long[] values) {
        return java.util.Arrays.stream(values).mapToInt(Math::toIntExact).toArray();
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
