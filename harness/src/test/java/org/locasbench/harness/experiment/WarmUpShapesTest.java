package org.locasbench.harness.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.locasbench.harness.protocol.Window.Geometry;
import org.locasbench.harness.protocol.WindowPlan;
import org.locasbench.harness.ttt.LossKind;
import org.locasbench.harness.ttt.TestTraining;
import org.locasbench.harness.ttt.TrainingConfig;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.TestData;
import org.locasbench.model.tokenizer.TextTokenizer;

/** The untimed warm-up covers every window shape a run will meet, each once per session, on the bundled model. */
class WarmUpShapesTest {
    static final TrainingConfig NTP = new TrainingConfig(LossKind.NTP, 0.5, 1e-2, 0.9, 0.999, 1e-8, 0.0, 1, 64, 64);

    @Test
    void everyShapeOfThePlanIsWarmedOnceTheShortLastOneIncluded() {
        long[] ids = TestTraining.book10146(300);
        try (ModelSession session = new ModelSession(Qwen3Model.load(TestData.bundledModel()),
                TextTokenizer.load(TestData.bundledModel()), "cpu")) {
            // windows [0,128) alone, [128,256) after 128, [256,300) after 128: (tokens fed, first scored offset)
            double first = session.warmUp(ids, WindowPlan.of(ids.length, 128, 128), false, NTP);
            assertThat(session.warmedShapes(false)).containsExactlyInAnyOrder(new Geometry(128, 1),
                    new Geometry(256, 128), new Geometry(172, 128));
            assertThat(session.warmedShapes(true)).as("scoring only: the frozen baseline").isEmpty();
            double trained = session.warmUp(ids, WindowPlan.of(ids.length, 128, 128), true, NTP);
            assertThat(session.warmedShapes(true)).isEqualTo(session.warmedShapes(false));
            assertThat(trained).isGreaterThan(first);
            assertThat(session.warmUp(ids, WindowPlan.of(ids.length, 128, 128), true, NTP))
                    .as("nothing new: no time added").isEqualTo(trained);
            // a longer context (long_context) brings its growing shapes, only for scoring
            session.warmUp(ids, WindowPlan.of(ids.length, 128, 256), false, NTP);
            assertThat(session.warmedShapes(false)).contains(new Geometry(300, 256)).hasSize(4);
            assertThat(session.warmedShapes(true)).hasSize(3);
        }
    }
}
