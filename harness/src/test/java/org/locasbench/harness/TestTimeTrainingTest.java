package org.locasbench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.locasbench.harness.data.Pg19Library;
import org.locasbench.harness.protocol.Window;
import org.locasbench.harness.protocol.WindowPlan;
import org.locasbench.harness.ttt.AdamW;
import org.locasbench.harness.ttt.LossKind;
import org.locasbench.harness.ttt.NonFiniteLossException;
import org.locasbench.harness.ttt.StreamingProtocol;
import org.locasbench.harness.ttt.TestTimeTrainer;
import org.locasbench.harness.ttt.TrainingConfig;
import org.locasbench.locas.Clipping;
import org.locasbench.locas.InitStrategy;
import org.locasbench.locas.LocasMemory;
import org.locasbench.locas.Memorizer;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.TestData;
import org.locasbench.model.adapter.TrainableAdapter;
import org.locasbench.model.tokenizer.TextTokenizer;

/** The test-time-training loop and the score-then-train protocol on the bundled model and a bundled PG-19 book. */
class TestTimeTrainingTest {
    static Qwen3Model model;
    static long[] book;

    @BeforeAll
    static void load() {
        model = Qwen3Model.load(TestData.bundledModel());
        Pg19Library library = Pg19Library.load(TestData.dataDir().resolve("pg19/manifest.json"));
        try (TextTokenizer tokenizer = TextTokenizer.load(TestData.bundledModel())) {
            book = Arrays.copyOf(tokenizer.encode(Pg19Library.text(library.book("10146"))), 4096);
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static StreamingProtocol.Run locas(TrainingConfig config, int width) {
        return StreamingProtocol.run(model, book, WindowPlan.of(book.length, 256, 256),
                (m, ids) -> Memorizer.memorize(m, ids, width, InitStrategy.HIGHEST, 0, Clipping.REPARAMETERIZE),
                config, r -> { });
    }

    @Test
    void locasLowersTheNextWindowsNllComparedWithNoMemory() {
        StreamingProtocol.Run base = StreamingProtocol.run(model, book, WindowPlan.of(book.length, 256, 256), null,
                org.locasbench.harness.ttt.TestTraining.locas(), r -> { });
        StreamingProtocol.Run run = locas(org.locasbench.harness.ttt.TestTraining.locas().withLearningRate(1e-2), 64);
        try (TrainableAdapter memory = run.adapter()) {
            System.out.printf("4096 tokens of PG-19 10146, window 256: no memory PPL %.3f, Locas (r=64, lr 1e-2) %.3f%n",
                    Math.exp(base.meanNll()), Math.exp(run.meanNll()));
            // window 0 is scored before any training and with V = 0: exactly the frozen model
            assertThat(run.windows().get(0).nllSum()).isEqualTo(base.windows().get(0).nllSum());
            assertThat(run.meanNll()).isLessThan(base.meanNll() - 0.03);
            double baseLate = 0;
            double locasLate = 0;
            for (int i = 8; i < 16; i++) {
                baseLate += base.windows().get(i).nllSum();
                locasLate += run.windows().get(i).nllSum();
            }
            assertThat(locasLate).as("the gain grows with the memory: second half of the book excerpt")
                    .isLessThan(baseLate * 0.97);
        }
    }

    /** LoRA runs on exactly the same loop and protocol, and helps too. */
    @Test
    void loraOnTheSameLoopLowersNllAndAFreshAdapterChangesNothing() {
        StreamingProtocol.Run base = StreamingProtocol.run(model, book, WindowPlan.of(book.length, 256, 256), null,
                org.locasbench.harness.ttt.TestTraining.tempLora(), r -> { });
        StreamingProtocol.Run run = StreamingProtocol.run(model, book, WindowPlan.of(book.length, 256, 256),
                (m, ids) -> org.locasbench.lora.LoraAdapter.create(m, org.locasbench.lora.LoraConfig.tempLora(16, 0)),
                org.locasbench.harness.ttt.TestTraining.tempLora().withLearningRate(1e-3), r -> { });
        try (TrainableAdapter lora = run.adapter()) {
            System.out.printf("4096 tokens of PG-19 10146: LoRA (r=16, lr 1e-3) PPL %.3f%n", Math.exp(run.meanNll()));
            assertThat(run.windows().get(0).nllSum()).isEqualTo(base.windows().get(0).nllSum());
            assertThat(run.meanNll()).isLessThan(base.meanNll() - 0.03);
        }
    }

    @ParameterizedTest
    // GRPO is not a loss on the window's text: its groups are re-sampled every step, so "it decreases" is no test of
    // it; GrpoReferenceTest / GrpoTrainingTest check it
    @EnumSource(value = LossKind.class, names = {"NTP", "SD", "MIX"})
    void everyLossDecreasesWhenTrainingRepeatedlyOnOneWindow(LossKind kind) {
        Window w = WindowPlan.of(book.length, 128, 128).get(3);
        TrainingConfig config = org.locasbench.harness.ttt.TestTraining.locas().withLoss(kind).withLearningRate(1e-2)
                .withContexts(384, 16);
        try (LocasMemory memory = Memorizer.memorize(model, Arrays.copyOfRange(book, w.contextStart(), w.end()), 32,
                InitStrategy.HIGHEST, 0, Clipping.REPARAMETERIZE);
                TestTimeTrainer trainer = new TestTimeTrainer(model, memory, config)) {
            double first = trainer.train(book, w);
            double last = first;
            for (int i = 0; i < 8; i++) {
                last = trainer.train(book, w);
            }
            assertThat(last).as(kind + " loss after 9 steps").isLessThan(first * 0.97);
            if (kind == LossKind.SD) {
                assertThat(first).as("KL is non-negative and the short-context student differs").isGreaterThan(0);
            }
        }
    }

    @Test
    void nonFiniteLossStopsAtTheWindowWhereItHappens() {
        List<Window> plan = WindowPlan.of(1024, 256, 256);
        TrainingConfig config = org.locasbench.harness.ttt.TestTraining.locas();
        assertThatThrownBy(() -> StreamingProtocol.run(model, book, plan, (m, ids) -> new PoisonAfter(m, 2), config,
                r -> { })).isInstanceOf(NonFiniteLossException.class).hasMessageContaining("at window 2")
                .hasMessageContaining("last finite loss");
    }

    @Test
    void adamWFollowsPyTorchsUpdateRule() {
        try (NDManager m = model.manager().newSubManager()) {
            NDArray p = m.create(new float[] {0.5f, -1.0f, 2.0f}, new Shape(3));
            p.setRequiresGradient(true);
            TrainingConfig config = new TrainingConfig(LossKind.NTP, 0.5, 0.1, 0.9, 0.999, 1e-8, 0.01, 1, 8, 8);
            double[] ref = {0.5, -1.0, 2.0};
            double[] mRef = new double[3];
            double[] vRef = new double[3];
            try (AdamW adam = new AdamW(m, config)) {
                for (int t = 1; t <= 3; t++) {
                    double[] g = {0.3 * t, -0.2, 1.5 / t};
                    try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance()
                            .newGradientCollector()) {
                        // d/dp sum(p * g) = g; a gradient left over from the last step would add to it
                        gc.backward(p.mul(m.create(new float[] {(float) g[0], (float) g[1], (float) g[2]})).sum());
                    }
                    adam.step(List.of(p));
                    for (int i = 0; i < 3; i++) { // torch.optim.AdamW, written out
                        ref[i] *= 1 - 0.1 * 0.01;
                        mRef[i] = 0.9 * mRef[i] + 0.1 * g[i];
                        vRef[i] = 0.999 * vRef[i] + 0.001 * g[i] * g[i];
                        double mHat = mRef[i] / (1 - Math.pow(0.9, t));
                        double vHat = vRef[i] / (1 - Math.pow(0.999, t));
                        ref[i] -= 0.1 * mHat / (Math.sqrt(vHat) + 1e-8);
                    }
                }
                float[] ours = p.toFloatArray();
                for (int i = 0; i < 3; i++) {
                    // the native update takes fp32 hyper-parameters: 1 - 0.999f is 1.3e-5 off 0.001 (relative), which
                    // moves these three steps by up to 2e-6; a wrong bias correction or eps would move them by > 1e-3
                    assertThat((double) ours[i]).isCloseTo(ref[i], offset(5e-6));
                }
                assertThat(p.getGradient().toFloatArray()).containsOnly(0f);
            }
        }
    }

    /** An adapter whose output turns NaN from a given window on (counted by training steps). */
    static final class PoisonAfter implements TrainableAdapter {
        final NDManager manager;
        final NDArray scale;
        final int poisonedWindow;
        int forwards;

        PoisonAfter(Qwen3Model m, int window) {
            manager = m.manager().newSubManager();
            scale = manager.ones(new Shape(1));
            scale.setRequiresGradient(true);
            poisonedWindow = window;
        }

        @Override
        public NDArray mlpOutput(int layer, NDArray a, NDArray frozen) {
            if (layer == 0) {
                forwards++;
            }
            // forwards per window: one scoring + one training pass
            NDArray s = org.locasbench.model.adapter.Scoped.use(scale, a);
            return forwards >= 2 * poisonedWindow + 2 ? frozen.mul(s).mul(Float.NaN) : frozen.mul(s);
        }

        @Override
        public List<NDArray> parameters() {
            return List.of(scale);
        }

        /** Counts forwards: its training pass is not its scoring pass. */
        @Override
        public boolean trainsOnTheScoringForward() {
            return false;
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
