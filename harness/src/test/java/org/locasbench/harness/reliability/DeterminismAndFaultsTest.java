package org.locasbench.harness.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locasbench.harness.data.Pg19Library;
import org.locasbench.harness.experiment.ConfigLoader;
import org.locasbench.harness.experiment.ExperimentConfig;
import org.locasbench.harness.experiment.MethodSetup;
import org.locasbench.harness.experiment.ModelSession;
import org.locasbench.harness.experiment.StreamingExperiment;
import org.locasbench.harness.protocol.WindowPlan;
import org.locasbench.harness.ttt.RunOptions;
import org.locasbench.harness.ttt.StreamingProtocol;
import org.locasbench.harness.ttt.TestTimeTrainer;
import org.locasbench.harness.ttt.TrainingConfig;
import org.locasbench.harness.ttt.WindowResult;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.TestData;
import org.locasbench.model.adapter.Scoped;
import org.locasbench.model.adapter.TrainableAdapter;
import org.locasbench.model.adapter.TrainingStep;

class DeterminismAndFaultsTest {
    static ExperimentConfig config;
    static ModelSession session;

    @BeforeAll
    static void setUp() {
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
        config = ConfigLoader.load("pg19", null, List.of("maxTokens=1024", "methods=none,locas,lora",
                "loraDropout=0.1"), new Properties());
        session = ModelSession.open(ModelSession.resolveModel(config), config, "cpu");
    }

    @AfterAll
    static void tearDown() {
        session.close();
    }

    /** Same seed and config: bit-identical metrics, LoRA with dropout included; the JSON records how to rerun. */
    @Test
    void sameSeedAndConfigGiveBitIdenticalMetrics() throws Exception {
        var book = Pg19Library.load(TestData.dataDir().resolve("pg19/manifest.json")).book("10146");
        List<MethodSetup> setups = StreamingExperiment.setups(config);
        List<ObjectNode> first = StreamingExperiment.runBook(config, book, session, setups);
        List<ObjectNode> second = StreamingExperiment.runBook(config, book, session, setups);
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i).get("series")).isEqualTo(first.get(i).get("series"));
            assertThat(second.get(i).get("metrics").get("ppl")).isEqualTo(first.get(i).get("metrics").get("ppl"));
            assertThat(first.get(i).get("config").get("seed").asLong()).isEqualTo(config.seed());
            assertThat(first.get(i).get("config").get("loraDropout").asDouble()).isEqualTo(0.1);
        }
        // a different seed changes LoRA (A's init and dropout masks): the seed really is the randomness
        ExperimentConfig other = ConfigLoader.load("pg19", null, List.of("maxTokens=1024", "methods=lora",
                "loraDropout=0.1", "seed=1"), new Properties());
        ObjectNode lora = StreamingExperiment.runBook(other, book, session, StreamingExperiment.setups(other)).get(0);
        assertThat(lora.get("metrics").get("ppl").asDouble()).isNotEqualTo(first.get(2).get("metrics").get("ppl")
                .asDouble());
    }

    /** With the skip policy a NaN training loss skips that window's update and the run goes on. */
    @Test
    void skipPolicyStepsOverANonFiniteTrainingLoss() {
        Qwen3Model model = session.model();
        long[] ids = new java.util.Random(5).longs(1024, 0, 8192).toArray();
        var plan = WindowPlan.of(ids.length, 128, 128);
        RunOptions skip = new RunOptions(0, TestTimeTrainer.NonFinitePolicy.SKIP_WINDOW, null, 0, false, "");
        StreamingProtocol.Run run = StreamingProtocol.run(model, ids, plan, (m, first) -> new NanWhileTraining(m, 3),
                TrainingConfig.locasDefaults(), skip, r -> { });
        try (TrainableAdapter a = run.adapter()) {
            List<WindowResult> w = run.windows();
            assertThat(w).hasSize(8);
            assertThat(w.get(3).trainLoss()).as("window 3 skipped").isNaN();
            assertThat(w.get(2).trainLoss()).isFinite();
            assertThat(w.get(4).trainLoss()).isFinite();
            assertThat(w).allSatisfy(r -> assertThat(r.nllSum()).isFinite());
        }
    }

    /** Trains normally, but its training forward of one window produces NaN. */
    static final class NanWhileTraining implements TrainableAdapter {
        final NDManager manager;
        final NDArray scale;
        final int badTrainingCall;
        boolean training;
        int trainingCalls;

        NanWhileTraining(Qwen3Model m, int badWindow) {
            manager = m.manager().newSubManager();
            scale = manager.ones(new Shape(1));
            scale.setRequiresGradient(true);
            badTrainingCall = badWindow;
        }

        @Override
        public void beginStep(TrainingStep step) {
            trainingCalls++;
            training = true;
        }

        @Override
        public void endTraining() {
            training = false;
        }

        @Override
        public NDArray mlpOutput(int layer, NDArray a, NDArray frozen) {
            NDArray s = Scoped.use(scale, a);
            NDArray out = frozen.mul(s);
            return training && trainingCalls - 1 == badTrainingCall ? out.mul(Scoped.scalar(out, Double.NaN)) : out;
        }

        @Override
        public List<NDArray> parameters() {
            return List.of(scale);
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
