package org.locasbench.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locasbench.model.ModelFormatException;
import org.locasbench.model.Nll;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.TestData;
import org.locasbench.model.adapter.Projection;
import org.locasbench.model.adapter.TrainingStep;
import org.locasbench.model.engine.TorchOps;
import org.locasbench.model.safetensors.SafetensorsFile;
import org.locasbench.model.safetensors.StoredType;

class LoraAdapterTest {
    static final Path TINY = TestData.fixture("tiny-qwen3");

    @TempDir
    Path tmp;

    static long[] ids() {
        return SafetensorsFile.open(TINY.resolve("reference.safetensors")).longs("ids");
    }

    /** Non-zero B so that the adapter changes the model. */
    static void randomizeB(LoraAdapter adapter, long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < adapter.layers(); i++) {
            for (Projection p : Projection.values()) {
                LoraPair pair = adapter.pair(i, p);
                if (pair != null) {
                    float[] b = new float[(int) pair.loraB().size()];
                    for (int k = 0; k < b.length; k++) {
                        b[k] = (float) (r.nextGaussian() * 0.2);
                    }
                    pair.loraB().set(b);
                }
            }
        }
    }

    @Test
    void freshAdapterLeavesLogitsBitIdenticalAndInitFollowsPeft() {
        try (Qwen3Model model = Qwen3Model.load(TINY); NDManager scope = model.manager().newSubManager();
                LoraAdapter lora = LoraAdapter.create(model, LoraConfig.tempLora(4, 1))) {
            NDArray input = scope.create(ids(), new Shape(1, 24));
            assertThat(model.logits(input, 0, lora, null).toFloatArray()).isEqualTo(model.logits(input).toFloatArray());
            // every lora_A of every layer, scaled by its bound b = 1/sqrt(in): PEFT's Kaiming-uniform(a = sqrt 5) is
            // U(-b, b), so u = v / b is U(-1, 1): |u| <= 1, E[u^2] = 1/3 (sd of one u^2: sqrt(4/45)), P(|u| < 1/2) = 1/2.
            // A normal init of the same variance, a wrong fan (in vs out) or a missing 1/sqrt would each break one.
            long n = 0;
            double sumSquares = 0;
            long inner = 0;
            double largest = 0;
            for (int layer = 0; layer < lora.layers(); layer++) {
                for (Projection p : Projection.values()) {
                    NDArray loraA = lora.pair(layer, p).loraA();
                    double bound = 1 / Math.sqrt(loraA.getShape().get(1));
                    for (float v : loraA.toFloatArray()) {
                        double u = v / bound;
                        n++;
                        sumSquares += u * u;
                        inner += Math.abs(u) < 0.5 ? 1 : 0;
                        largest = Math.max(largest, Math.abs(u));
                    }
                }
            }
            assertThat(largest).as("Kaiming-uniform(a=sqrt 5) bound 1/sqrt(in)").isLessThanOrEqualTo(1.0);
            assertThat(sumSquares / n).as("E[u^2] of U(-1, 1) over %d draws (4 sd)", n)
                    .isCloseTo(1.0 / 3, offset(4 * Math.sqrt(4.0 / 45 / n)));
            assertThat((double) inner / n).as("P(|u| < 1/2) of U(-1, 1) (4 sd)").isCloseTo(0.5,
                    offset(4 * Math.sqrt(0.25 / n)));
            assertThat(lora.pair(1, Projection.DOWN).loraB().toFloatArray()).containsOnly(0f);
        }
    }

    /** The tiny model, a LoRA with dropout 0.5 and random B, an input, and its logits without dropout. */
    private record DropoutSetup(Qwen3Model model, NDManager scope, LoraAdapter lora, NDArray input, float[] scored)
            implements AutoCloseable {
        static DropoutSetup open() {
            Qwen3Model model = Qwen3Model.load(TINY);
            NDManager scope = model.manager().newSubManager();
            LoraAdapter lora = LoraAdapter.create(model, new LoraConfig(4, 4, 0.5, EnumSet.allOf(Projection.class), 1));
            randomizeB(lora, 2);
            NDArray input = scope.create(ids(), new Shape(1, 24));
            return new DropoutSetup(model, scope, lora, input, model.logits(input, 0, lora, null).toFloatArray());
        }

        float[] logits() {
            return model.logits(input, 0, lora, null).toFloatArray();
        }

        @Override
        public void close() {
            lora.close();
            scope.close();
            model.close();
        }
    }

    /** A step's masks come from its key alone: draws elsewhere from libtorch's generator do not move them. */
    @Test
    void dropoutMasksAreKeyedByTheStep() {
        try (DropoutSetup d = DropoutSetup.open()) {
            d.lora().beginStep(new TrainingStep(0, 3, 0));
            float[] first = d.logits();
            float[] secondPass = d.logits();
            d.scope().randomUniform(0, 1, new Shape(1000));
            d.lora().beginStep(new TrainingStep(0, 3, 0));
            float[] replayed = d.logits();
            d.lora().beginStep(new TrainingStep(0, 4, 0));
            float[] otherWindow = d.logits();
            d.lora().endTraining();
            assertThat(replayed).isEqualTo(first);
            assertThat(first).isNotEqualTo(d.scored()).isNotEqualTo(secondPass).isNotEqualTo(otherWindow);
            assertThat(d.logits()).as("no dropout when scoring").isEqualTo(d.scored());
        }
    }

    /**
     * A stream step (the CUDA scheme, which a graph replays): its masks are the generator's draws after seeding it with
     * the step's stream key, so they repeat for the same key whatever drew before, differ for another step, and a
     * second forward inside the same seeding draws new masks (draws follow each other, none is keyed on its own).
     */
    @Test
    void streamStepMasksFollowTheStepsStreamKey() {
        try (DropoutSetup d = DropoutSetup.open()) {
            TrainingStep step = new TrainingStep(0, 3, 0);
            d.lora().beginStreamStep(step);
            float[][] twice = TorchOps.seeded(step.streamKey(), () -> new float[][] {d.logits(), d.logits()});
            d.scope().randomUniform(0, 1, new Shape(1000));
            float[] replayed = TorchOps.seeded(step.streamKey(), d::logits);
            TrainingStep next = new TrainingStep(0, 3, 1);
            d.lora().beginStreamStep(next);
            float[] nextStep = TorchOps.seeded(next.streamKey(), d::logits);
            d.lora().beginStep(step);
            float[] keyedPerDraw = d.logits();
            d.lora().endTraining();
            assertThat(replayed).isEqualTo(twice[0]);
            assertThat(twice[0]).isNotEqualTo(d.scored()).isNotEqualTo(twice[1]).isNotEqualTo(nextStep)
                    .isNotEqualTo(keyedPerDraw);
            assertThat(step.streamKey()).isNotEqualTo(next.streamKey())
                    .isNotEqualTo(new TrainingStep(1, 3, 0).streamKey());
        }
    }

    @Test
    void parameterCountIsExact() {
        try (Qwen3Model model = Qwen3Model.load(TINY); LoraAdapter lora = LoraAdapter.create(model,
                LoraConfig.tempLora(4, 1))) {
            // per layer: q 64->64, k 64->32, v 64->32, o 64->64, gate 64->192, up 64->192, down 192->64
            long perLayer = 4L * ((64 + 64) + (64 + 32) + (64 + 32) + (64 + 64) + (64 + 192) + (64 + 192) + (192 + 64));
            assertThat(lora.parameterCount()).isEqualTo(2 * perLayer);
            assertThat(LoraAdapter.paperApproximation(model.config(), 4)).isEqualTo(20L * 2 * 64 * 4);
        }
    }

    @Test
    void mergedCheckpointEqualsTheAdapter() throws Exception {
        Path merged = tmp.resolve("merged");
        try (Qwen3Model model = Qwen3Model.load(TINY); NDManager scope = model.manager().newSubManager();
                LoraAdapter lora = LoraAdapter.create(model, LoraConfig.tempLora(4, 1))) {
            randomizeB(lora, 9);
            NDArray input = scope.create(ids(), new Shape(1, 24));
            float[] withAdapter = Nll.perToken(model.logits(input, 0, lora, null), input).toFloatArray();
            float[] base = Nll.perToken(model.logits(input), input).toFloatArray();
            LoraMerge.merge(model, lora, merged, StoredType.F32);
            try (Qwen3Model m = Qwen3Model.load(merged)) {
                assertThat(Nll.perToken(m.logits(input), input).toFloatArray()).containsExactly(withAdapter,
                        offset(1e-5f));
            }
            double moved = 0;
            for (int i = 0; i < base.length; i++) {
                moved = Math.max(moved, Math.abs(base[i] - withAdapter[i]));
            }
            assertThat(moved).as("the adapter must matter in this test").isGreaterThan(1e-2);
        }
    }

    /** PEFT's own adapter file, loaded by us: our logits equal PEFT's (|diff| <= 1e-4, NLL <= 1e-5). */
    @Test
    void adapterSavedByPeftGivesPeftsLogits() {
        Path dir = TestData.fixture("tiny-qwen3-lora-peft");
        SafetensorsFile ref = SafetensorsFile.open(dir.resolve("reference.safetensors"));
        try (Qwen3Model model = Qwen3Model.load(TINY); NDManager scope = model.manager().newSubManager();
                LoraAdapter lora = LoraFile.load(dir, model)) {
            assertThat(lora.config().targets()).hasSize(7);
            NDArray input = scope.create(ref.longs("ids"), new Shape(1, 24));
            NDArray logits = model.logits(input, 0, lora, null);
            double logitDiff = maxAbsDiff(logits.toFloatArray(), ref.floats("logits"));
            double nllDiff = maxAbsDiff(Nll.perToken(logits, input).toFloatArray(), ref.floats("nll"));
            System.out.printf("PEFT adapter in Java: max|logit diff| %.3g, max|NLL diff| %.3g%n", logitDiff, nllDiff);
            assertThat(logitDiff).isLessThanOrEqualTo(1e-4);
            assertThat(nllDiff).isLessThanOrEqualTo(1e-5);
            assertThat(maxAbsDiff(model.logits(input).toFloatArray(), ref.floats("logits"))).as("adapter matters")
                    .isGreaterThan(1e-2);
        }
    }

    /** The adapter our lora-ttt saved, loaded by PEFT: PEFT's NLL equals ours. */
    @Test
    void adapterSavedByUsMeansTheSameToPeft() {
        Path dir = TestData.fixture("tiny-qwen3-lora-java");
        SafetensorsFile ref = SafetensorsFile.open(dir.resolve("peft-reference.safetensors"));
        try (Qwen3Model model = Qwen3Model.load(TINY); NDManager scope = model.manager().newSubManager();
                LoraAdapter lora = LoraFile.load(dir, model)) {
            NDArray input = scope.create(ref.longs("ids"), new Shape(1, 24));
            NDArray logits = model.logits(input, 0, lora, null);
            assertThat(maxAbsDiff(logits.toFloatArray(), ref.floats("logits"))).isLessThanOrEqualTo(1e-4);
            double nllDiff = maxAbsDiff(Nll.perToken(logits, input).toFloatArray(), ref.floats("nll"));
            System.out.printf("Java adapter in PEFT: max|NLL diff| %.3g%n", nllDiff);
            assertThat(nllDiff).isLessThanOrEqualTo(1e-5);
            assertThat(maxAbsDiff(model.logits(input).toFloatArray(), ref.floats("logits"))).as("adapter matters")
                    .isGreaterThan(1e-3);
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void peftFormatRoundTripsAndRefusesAnotherModel() throws Exception {
        Path dir = tmp.resolve("adapter");
        try (Qwen3Model model = Qwen3Model.load(TINY)) {
            try (LoraAdapter lora = LoraAdapter.create(model, new LoraConfig(4, 8, 0.0,
                    EnumSet.of(Projection.Q, Projection.V, Projection.DOWN), 3))) {
                randomizeB(lora, 4);
                LoraFile.save(lora, dir, "tiny-qwen3");
                try (LoraAdapter loaded = LoraFile.load(dir, model)) {
                    assertThat(loaded.config().targets()).containsExactlyInAnyOrder(Projection.Q, Projection.V,
                            Projection.DOWN);
                    assertThat(loaded.config().scaling()).isEqualTo(2.0);
                    assertThat(loaded.pair(1, Projection.DOWN).loraB().toFloatArray())
                            .isEqualTo(lora.pair(1, Projection.DOWN).loraB().toFloatArray());
                }
            }
            SafetensorsFile f = SafetensorsFile.open(dir.resolve(LoraFile.WEIGHTS));
            assertThat(f.entry("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight").shape())
                    .containsExactly(4, 64);
            assertThat(f.entry("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight").shape())
                    .containsExactly(64, 4);
        }
        try (Qwen3Model other = Qwen3Model.load(TestData.fixture("tiny-qwen3-untied"))) {
            assertThatThrownBy(() -> LoraFile.load(dir, other)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("q_proj.lora_A.weight' has shape [4, 64], but the model's")
                    .hasMessageContaining("so lora_A must be [4, 96]");
        }
    }
}
