package org.locasbench.harness.ttt;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locasbench.harness.protocol.Window;
import org.locasbench.harness.protocol.WindowPlan;
import org.locasbench.harness.protocol.WindowScorer;
import org.locasbench.lora.LoraAdapter;
import org.locasbench.lora.LoraConfig;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.TestData;
import org.locasbench.model.adapter.GradientScope;
import org.locasbench.model.adapter.Projection;
import org.locasbench.model.adapter.TrainableAdapter;
import org.locasbench.model.adapter.TrainingStep;

/**
 * Temp-LoRA's optimiser as its code runs it on the shared loop, fp32 CPU: while generating, a fresh AdamW per chunk
 * and transformers' constant_with_warmup over 2 steps (lr x 0, then x 1/2, then x 1); on PG-19, one AdamW for the
 * book with the same schedule stepped once per chunk.
 */
class TempLoraScheduleTest {
    static Qwen3Model model;
    static long[] book;
    static final List<Window> PLAN = WindowPlan.of(512, 128, 128);
    static final AdapterFactory LORA = (m, ids) -> LoraAdapter.create(m, new LoraConfig(4, 8, 0.0,
            EnumSet.allOf(Projection.class), 5));

    @BeforeAll
    static void load() {
        model = Qwen3Model.load(TestData.bundledModel());
        book = TestTraining.book10146(512);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static TrainingConfig config(int steps, OptimizerSchedule schedule) {
        return new TrainingConfig(LossKind.NTP, 0.5, 1e-2, 0.9, 0.999, 1e-7, 0.0, steps, 64, 64, schedule);
    }

    @Test
    void warmUpMultipliersAreTransformersConstantWithWarmup() {
        assertThat(List.of(0, 1, 2, 3).stream().map(s -> OptimizerSchedule.TEMP_LORA.lrScale(7, s)).toList())
                .as("per step within a window, whatever the window").containsExactly(0.0, 0.5, 1.0, 1.0);
        assertThat(List.of(0, 1, 2, 3).stream().map(w -> OptimizerSchedule.TEMP_LORA_PG19.lrScale(w, 1)).toList())
                .as("per window, whatever the step").containsExactly(0.0, 0.5, 1.0, 1.0);
        assertThat(OptimizerSchedule.CONSTANT.lrScale(0, 0)).isEqualTo(1.0);
    }

    @Test
    void withOneStepPerChunkTheLoraNeverMovesSoEveryScoreIsTheFrozenModels() {
        StreamingProtocol.Run frozen = StreamingProtocol.run(model, book, PLAN, null, null, r -> { });
        StreamingProtocol.Run tempLora = StreamingProtocol.run(model, book, PLAN, LORA,
                config(1, OptimizerSchedule.TEMP_LORA), r -> { });
        StreamingProtocol.Run constant = StreamingProtocol.run(model, book, PLAN, LORA,
                config(1, OptimizerSchedule.CONSTANT), r -> { });
        try (TrainableAdapter a = tempLora.adapter(); TrainableAdapter b = constant.adapter()) {
            for (int i = 0; i < PLAN.size(); i++) {
                // B starts at 0 and every chunk's only step runs at lr 0
                assertThat(tempLora.windows().get(i).tokenNll()).as("window %d", i)
                        .isEqualTo(frozen.windows().get(i).tokenNll());
            }
            assertThat(constant.windows().get(PLAN.size() - 1).tokenNll()).as("the constant schedule does move")
                    .isNotEqualTo(frozen.windows().get(PLAN.size() - 1).tokenNll());
        }
    }

    /** Temp-LoRA's PG-19 script: one AdamW for the book, both steps of window w at lr x min(1, w / 2). */
    @Test
    void thePg19ScheduleIsOneAdamWWithTheRateWarmingUpOverTheFirstTwoChunks() {
        TrainingConfig cfg = config(2, OptimizerSchedule.TEMP_LORA_PG19);
        StreamingProtocol.Run run = StreamingProtocol.run(model, book, PLAN, LORA, cfg, r -> { });
        StreamingProtocol.Run frozen = StreamingProtocol.run(model, book, PLAN, null, null, r -> { });
        Window first = PLAN.get(0);
        try (TrainableAdapter trained = run.adapter();
                TrainableAdapter reference = LORA.create(model, Arrays.copyOfRange(book, first.contextStart(),
                        first.end()));
                AdamW one = new AdamW(model.manager(), cfg)) {
            // window 0 trains at lr 0 (B stays 0), so window 1 is scored by the frozen model
            assertThat(run.windows().get(1).tokenNll()).isEqualTo(frozen.windows().get(1).tokenNll());
            assertThat(run.windows().get(2).tokenNll()).isNotEqualTo(frozen.windows().get(2).tokenNll());
            for (Window w : PLAN) {
                for (int s = 0; s < 2; s++) {
                    reference.beginStep(new TrainingStep(0, w.index(), s));
                    try (NDManager scope = model.manager().newSubManager();
                            GradientScope gc = GradientScope.recording()) {
                        gc.backward(WindowScorer.scoredNll(model, reference, WindowScorer.inputIds(scope, book, w), w)
                                .mean());
                    }
                    one.step(reference.parameters(), Math.min(1.0, w.index() / 2.0));
                    reference.endTraining();
                }
            }
            for (int p = 0; p < trained.parameters().size(); p++) {
                assertThat(trained.parameters().get(p).toFloatArray()).as("parameter %d", p)
                        .isEqualTo(reference.parameters().get(p).toFloatArray());
            }
        }
    }

    @Test
    void twoStepsPerChunkEqualAFreshAdamWPerChunkAtZeroThenHalfTheRate() {
        TrainingConfig cfg = config(2, OptimizerSchedule.TEMP_LORA);
        StreamingProtocol.Run run = StreamingProtocol.run(model, book, PLAN, LORA, cfg, r -> { });
        Window first = PLAN.get(0);
        try (TrainableAdapter trained = run.adapter();
                TrainableAdapter reference = LORA.create(model, Arrays.copyOfRange(book, first.contextStart(),
                        first.end()))) {
            for (Window w : PLAN) {
                try (AdamW fresh = new AdamW(model.manager(), cfg)) {
                    for (int s = 0; s < 2; s++) {
                        reference.beginStep(new TrainingStep(0, w.index(), s));
                        try (NDManager scope = model.manager().newSubManager();
                                GradientScope gc = GradientScope.recording()) {
                            NDArray loss = WindowScorer.scoredNll(model, reference, WindowScorer.inputIds(scope, book,
                                    w), w).mean();
                            gc.backward(loss);
                        }
                        fresh.step(reference.parameters(), s == 0 ? 0.0 : 0.5);
                        reference.endTraining();
                    }
                }
            }
            for (int p = 0; p < trained.parameters().size(); p++) {
                assertThat(trained.parameters().get(p).toFloatArray()).as("parameter %d", p)
                        .isEqualTo(reference.parameters().get(p).toFloatArray());
            }
        }
    }
}
