package org.locasbench.harness.ttt.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locasbench.harness.cli.Main;
import org.locasbench.harness.config.GrpoSettings;
import org.locasbench.harness.generation.GreedyGenerator;
import org.locasbench.harness.generation.Sampler;
import org.locasbench.harness.generation.SamplingConfig;
import org.locasbench.harness.protocol.Window;
import org.locasbench.harness.protocol.WindowPlan;
import org.locasbench.harness.ttt.AdapterFactory;
import org.locasbench.harness.ttt.LossKind;
import org.locasbench.harness.ttt.RunOptions;
import org.locasbench.harness.ttt.StreamingProtocol;
import org.locasbench.harness.ttt.TestTimeTrainer.NonFinitePolicy;
import org.locasbench.harness.ttt.TestTraining;
import org.locasbench.harness.ttt.TrainingConfig;
import org.locasbench.harness.ttt.WindowResult;
import org.locasbench.locas.Clipping;
import org.locasbench.locas.InitStrategy;
import org.locasbench.locas.Memorizer;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.TestData;
import org.locasbench.model.adapter.LayerAdapter;

/**
 * GRPO on the streaming protocol with the bundled model: the sampler (reproducible for a seed, top-k 1 = greedy), the
 * prompts of a window, a training run whose groups carry signal, and a run interrupted after a checkpoint and resumed
 * that equals the uninterrupted one bit for bit on CPU (the sampler is keyed by seed, window, step and prompt).
 */
class GrpoTrainingTest {
    static Qwen3Model model;
    static long[] ids;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() {
        model = Qwen3Model.load(TestData.bundledModel());
        ids = TestTraining.book10146(768);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static GrpoSettings settings(int group, int prompts, int length) {
        return new GrpoSettings(group, prompts, length, 0.2, 0.04, 2, RewardKind.TOKEN_F1, 1e-4, 1.0, 0, 1.0,
                List.of(), null);
    }

    @Test
    void samplerIsReproducibleAndTopKOneIsGreedy() {
        long[] prompt = java.util.Arrays.copyOf(ids, 40);
        SamplingConfig free = new SamplingConfig(1.0, 0, 1.0, 6, Set.of());
        long[][] a = Sampler.sample(model, LayerAdapter.NONE, prompt, 4, free, new Random(5));
        long[][] b = Sampler.sample(model, LayerAdapter.NONE, prompt, 4, free, new Random(5));
        long[][] c = Sampler.sample(model, LayerAdapter.NONE, prompt, 4, free, new Random(6));
        assertThat(a).isDeepEqualTo(b);
        assertThat(a).isNotEqualTo(c);
        assertThat(java.util.Arrays.stream(a).map(java.util.Arrays::toString).distinct().count())
                .as("a group at temperature 1 holds different samples").isGreaterThan(1);
        long[] greedy = GreedyGenerator.generate(model, LayerAdapter.NONE, prompt, 6, Set.of());
        long[][] topOne = Sampler.sample(model, LayerAdapter.NONE, prompt, 3, new SamplingConfig(1.0, 1, 1.0, 6,
                Set.of()), new Random(1));
        long[][] nucleus = Sampler.sample(model, LayerAdapter.NONE, prompt, 3, new SamplingConfig(0.7, 0, 1e-6, 6,
                Set.of()), new Random(2));
        for (int g = 0; g < 3; g++) {
            assertThat(topOne[g]).as("top-k 1 row %d", g).containsExactly(greedy);
            assertThat(nucleus[g]).as("top-p 1e-6 row %d", g).containsExactly(greedy);
        }
        long stop = greedy[2];
        long[][] stopped = Sampler.sample(model, LayerAdapter.NONE, prompt, 2, new SamplingConfig(1.0, 1, 1.0, 6,
                Set.of(stop)), new Random(1));
        assertThat(stopped[0]).as("ends after the first stop token, which it keeps")
                .containsExactly(java.util.Arrays.copyOf(greedy, indexOf(greedy, stop) + 1));
    }

    private static int indexOf(long[] a, long v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void promptsAreEvenlySpacedPrefixesThatLeaveTheirTruthInTheWindow() {
        // window [256, 512) with context from 0: n = 256, L = 16, P = 3 -> cuts 256 + floor(j * 240 / 4), j = 1..3
        assertThat(GrpoWindow.cuts(new Window(1, 0, 256, 512), settings(4, 3, 16))).containsExactly(316, 376, 436);
        assertThatThrownBy(() -> GrpoWindow.cuts(new Window(0, 0, 0, 16), settings(4, 1, 16)))
                .hasMessageContaining("longer than grpo.length");
    }

    static TrainingConfig grpo() {
        return TestTraining.locas().withGrpo(settings(4, 1, 8)).withLoss(LossKind.GRPO).withLearningRate(1e-2);
    }

    static final AdapterFactory LOCAS = (m, first) -> Memorizer.memorize(m, first, 16, InitStrategy.HIGHEST, 0,
            Clipping.REPARAMETERIZE);

    @Test
    void resumedAfterACheckpointEqualsTheUninterruptedRun() {
        List<Window> plan = WindowPlan.of(ids.length, 128, 128);
        RunOptions straight = new RunOptions(3, NonFinitePolicy.STOP, null, 1, false, "grpo-test");
        StreamingProtocol.Run full = StreamingProtocol.run(model, ids, plan, LOCAS, grpo(), straight, w -> { });
        Path dir = tmp.resolve("ckpt");
        RunOptions first = new RunOptions(3, NonFinitePolicy.STOP, dir, 1, false, "grpo-test");
        StreamingProtocol.run(model, ids, plan.subList(0, 3), LOCAS, grpo(), first, w -> { }).adapter().close();
        RunOptions resume = new RunOptions(3, NonFinitePolicy.STOP, dir, 1, true, "grpo-test");
        StreamingProtocol.Run resumed = StreamingProtocol.run(model, ids, plan, LOCAS, grpo(), resume, w -> { });
        try {
            assertThat(full.windows()).hasSize(plan.size());
            for (int i = 0; i < plan.size(); i++) {
                WindowResult a = full.windows().get(i);
                WindowResult b = resumed.windows().get(i);
                assertThat(b.tokenNll()).as("window %d NLL", i).containsExactly(a.tokenNll());
                assertThat(b.trainLoss()).as("window %d GRPO loss", i).isEqualTo(a.trainLoss());
                assertThat(b.sampledTokens()).isEqualTo(a.sampledTokens()).isEqualTo(4 * 8);
            }
            // the loss moves (groups with different rewards give non-zero advantages) and stays finite
            assertThat(full.windows().stream().mapToDouble(WindowResult::trainLoss).distinct().count())
                    .isGreaterThan(1);
            assertThat(full.windows()).allMatch(w -> Double.isFinite(w.trainLoss()));
            assertThat(full.meanNll()).isEqualTo(resumed.meanNll());
        } finally {
            full.adapter().close();
            resumed.adapter().close();
        }
    }

    /** A book's short last window (5 new tokens < L = 8) is not trained, with a warning; the others are. */
    @Test
    void aWindowTooShortForTheTaskIsNotTrained() {
        long[] book = java.util.Arrays.copyOf(ids, 2 * 128 + 5);
        List<Window> plan = WindowPlan.of(book.length, 128, 128);
        assertThat(plan).hasSize(3);
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        StreamingProtocol.Run run;
        try {
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            run = StreamingProtocol.run(model, book, plan, LOCAS, grpo(), new RunOptions(3, NonFinitePolicy.STOP,
                    null, 1, false, "short"), w -> { });
        } finally {
            System.setErr(old);
        }
        try {
            assertThat(run.windows().get(0).trainLoss()).isFinite();
            assertThat(run.windows().get(1).trainLoss()).isFinite();
            assertThat(run.windows().get(2).trainLoss()).isNaN();
            assertThat(run.windows().get(2).sampledTokens()).isZero();
            assertThat(err.toString()).contains("warning: window 2 has 5 new tokens, too few for GRPO's prompts and "
                    + "grpo.length 8: not trained");
        } finally {
            run.adapter().close();
        }
    }

    @Test
    void tttAndLoraTttTakeGrpoFromTheCommandLine() throws Exception {
        for (String command : List.of("ttt", "lora-ttt")) {
            Path json = tmp.resolve(command + ".json");
            int code = Main.run(command, "--model", TestData.bundledModel().toString(), "--book", "10146",
                    "--max-tokens", "384", "--window", "128", "--context", "64", "--loss", "GRPO", "--grpo-group", "3",
                    "--grpo-prompts", "2", "--grpo-length", "4", "--grpo-reward", "rouge_l", "--top-k", "50",
                    "--json", json.toString());
            assertThat(code).as(command).isZero();
            JsonNode out = new ObjectMapper().readTree(json.toFile());
            assertThat(out.get("loss").asText()).isEqualTo("GRPO");
            assertThat(out.get("tokens_sampled").asInt()).as(command).isEqualTo(3 * 3 * 2 * 4);
            assertThat(out.get("windows")).allMatch(w -> w.get("sampled_tokens").asInt() == 2 * 3 * 4);
        }
    }
}
