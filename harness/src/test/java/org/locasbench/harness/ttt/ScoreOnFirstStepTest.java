package org.locasbench.harness.ttt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.locasbench.harness.protocol.Window;
import org.locasbench.harness.protocol.WindowPlan;
import org.locasbench.harness.protocol.WindowScorer;
import org.locasbench.locas.Clipping;
import org.locasbench.locas.InitStrategy;
import org.locasbench.locas.Memorizer;
import org.locasbench.lora.LoraAdapter;
import org.locasbench.lora.LoraConfig;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.TestData;
import org.locasbench.model.adapter.Projection;
import org.locasbench.model.adapter.TrainableAdapter;

/**
 * One forward for a window's score and its first NTP step: the protocol's metrics and the trained adapter are bit for
 * bit those of the two-pass loop written out here (score the window with its own pass, then train), fp32 on the CPU.
 * LoRA with dropout keeps the separate scoring pass (its training forward draws masks scoring never applies).
 */
class ScoreOnFirstStepTest {
    static Qwen3Model model;
    static long[] book;

    @BeforeAll
    static void load() {
        model = Qwen3Model.load(TestData.bundledModel());
        book = TestTraining.book10146(640);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static AdapterFactory factory(String method) {
        return switch (method) {
            case "locas" -> (m, ids) -> Memorizer.memorize(m, ids, 16, InitStrategy.HIGHEST, 0,
                    Clipping.REPARAMETERIZE);
            case "lora-no-dropout" -> (m, ids) -> LoraAdapter.create(m, new LoraConfig(4, 8, 0.0,
                    EnumSet.allOf(Projection.class), 3));
            default -> (m, ids) -> LoraAdapter.create(m, LoraConfig.tempLora(4, 3)); // dropout 0.05
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"locas", "lora-no-dropout", "lora-dropout"})
    void metricsAndAdapterEqualTheTwoPassLoop(String method) {
        TrainingConfig config = new TrainingConfig(LossKind.NTP, 0.5, 1e-2, 0.9, 0.999, 1e-8, 0.0, 2, 64, 64);
        List<Window> plan = WindowPlan.of(book.length, 128, 128);
        StreamingProtocol.Run run = StreamingProtocol.run(model, book, plan, factory(method), config, r -> { });
        Window first = plan.get(0);
        try (TrainableAdapter adapter = run.adapter();
                TrainableAdapter reference = factory(method).create(model, Arrays.copyOfRange(book,
                        first.contextStart(), first.end()));
                TestTimeTrainer trainer = new TestTimeTrainer(model, reference, config)) {
            assertThat(trainer.scoresOnFirstStep()).isEqualTo(!method.equals("lora-dropout"));
            List<float[]> scores = new ArrayList<>();
            List<Double> losses = new ArrayList<>();
            for (Window w : plan) {
                scores.add(WindowScorer.score(model, reference, book, w));
                losses.add(trainer.train(book, w));
            }
            for (int i = 0; i < plan.size(); i++) {
                WindowResult r = run.windows().get(i);
                assertThat(r.tokenNll()).as("window %d per-token NLL, bit for bit", i).isEqualTo(scores.get(i));
                assertThat(r.trainLoss()).as("window %d loss", i).isEqualTo(losses.get(i));
            }
            for (int p = 0; p < adapter.parameters().size(); p++) {
                assertThat(adapter.parameters().get(p).toFloatArray()).as("parameter %d after %d windows", p,
                        plan.size()).isEqualTo(reference.parameters().get(p).toFloatArray());
            }
        }
    }
}
