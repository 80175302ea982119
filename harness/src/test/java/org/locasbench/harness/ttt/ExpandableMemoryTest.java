package org.locasbench.harness.ttt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locasbench.harness.protocol.Window;
import org.locasbench.harness.protocol.WindowPlan;
import org.locasbench.harness.ttt.TestTimeTrainer.NonFinitePolicy;
import org.locasbench.locas.Clipping;
import org.locasbench.locas.InitStrategy;
import org.locasbench.locas.LocasMemory;
import org.locasbench.locas.Memorizer;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.TestData;

/**
 * Expandable memory on the streaming protocol (bundled model, book 10146): a memory of 8 rows grows by 8 after every
 * 2nd window up to 24; the parameter count per window follows the width; the new rows start with zero AdamW moments
 * and their own step count; a run stopped after a growth step and resumed from its checkpoint equals the
 * uninterrupted run bit for bit on CPU.
 */
class ExpandableMemoryTest {
    static Qwen3Model model;
    static long[] ids;
    static final AdapterFactory LOCAS = (m, first) -> Memorizer.memorize(m, first, 8, InitStrategy.HIGHEST, 0,
            Clipping.REPARAMETERIZE);
    static final MemoryGrowth GROWTH = new MemoryGrowth(8, 2, 8, 24);

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() {
        model = Qwen3Model.load(TestData.bundledModel());
        ids = TestTraining.book10146(1024);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static TrainingConfig training() {
        return TestTraining.locas().withLearningRate(1e-2);
    }

    @Test
    void widthGrowsOnScheduleAndTheNewRowsGetTheirOwnAdamState() {
        List<Window> plan = WindowPlan.of(ids.length, 128, 128); // 8 windows
        StreamingProtocol.Run run = StreamingProtocol.run(model, ids, plan, LOCAS, training(),
                new RunOptions(0, NonFinitePolicy.STOP, null, 1, false, "grow"), GROWTH, w -> { });
        try (LocasMemory memory = (LocasMemory) run.adapter()) {
            long perRow = 3L * 256 * 8; // G, K, V rows of hidden 256 in 8 layers
            // grows after windows 1 and 3 (every 2nd), then stops at maxWidth 24
            assertThat(run.windows().stream().map(WindowResult::parameters).toList()).containsExactly(8 * perRow,
                    16 * perRow, 16 * perRow, 24 * perRow, 24 * perRow, 24 * perRow, 24 * perRow, 24 * perRow);
            assertThat(memory.blockWidths()).containsExactly(8, 8, 8);
            assertThat(memory.info().growth().stream().map(g -> g.window()).toList()).containsExactly(1, 3);
            // V of the grown rows has been trained since (it started at zero)
            assertThat(memory.layer(0).value().get("16:24").abs().sum().getFloat()).isPositive();
        }
    }

    @Test
    void adamStepCountsArePerParameter() {
        List<Window> plan = WindowPlan.of(512, 128, 128);
        try (LocasMemory memory = (LocasMemory) LOCAS.create(model, java.util.Arrays.copyOf(ids, 256));
                TestTimeTrainer trainer = new TestTimeTrainer(model, memory, training())) {
            trainer.train(ids, plan.get(0));
            trainer.train(ids, plan.get(1));
            Memorizer.grow(model, memory, java.util.Arrays.copyOfRange(ids, 256, 384), 8, 1);
            trainer.train(ids, plan.get(2));
            var params = memory.parameters();
            assertThat(trainer.optimizer().steps(params.get(0))).as("a memorize row").isEqualTo(3);
            assertThat(trainer.optimizer().steps(params.get(params.size() - 1))).as("a grown row").isEqualTo(1);
        }
    }

    @Test
    void tttGrowsFromTheCommandLineAndTheMemoryFileRecordsIt() throws Exception {
        Path json = tmp.resolve("ttt.json");
        Path mem = tmp.resolve("mem.safetensors");
        int code = org.locasbench.harness.cli.Main.run("ttt", "--model", TestData.bundledModel().toString(), "--book",
                "10146", "--max-tokens", "640", "--window", "128", "--context", "64", "--width", "8", "--grow-every",
                "2", "--grow-by", "4", "--max-width", "16", "--out", mem.toString(), "--json", json.toString());
        assertThat(code).isZero();
        var out = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        assertThat(out.get("width").asInt()).isEqualTo(16);
        assertThat(out.get("growth").asText()).isEqualTo("1:4:12;3:4:16");
        assertThat(org.locasbench.model.safetensors.SafetensorsFile.open(mem).metadata())
                .containsEntry("width", "16").containsEntry("initial_width", "8").containsEntry("growth", "1:4:12;3:4:16");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        try {
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            code = org.locasbench.harness.cli.Main.run("ttt", "--model", TestData.bundledModel().toString(), "--book",
                    "10146", "--max-tokens", "640", "--grow-every", "2");
        } finally {
            System.setErr(old);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: ").contains("locas.maxWidth").contains("must be set above");
    }

    @Test
    void resumedAcrossAGrowthStepEqualsTheUninterruptedRun() {
        List<Window> plan = WindowPlan.of(ids.length, 128, 128);
        StreamingProtocol.Run full = StreamingProtocol.run(model, ids, plan, LOCAS, training(),
                new RunOptions(0, NonFinitePolicy.STOP, null, 1, false, "grow"), GROWTH, w -> { });
        Path dir = tmp.resolve("ckpt");
        // stopped after window 4: the memory grew after windows 1 and 3
        StreamingProtocol.run(model, ids, plan.subList(0, 5), LOCAS, training(),
                new RunOptions(0, NonFinitePolicy.STOP, dir, 1, false, "grow"), GROWTH, w -> { }).adapter().close();
        StreamingProtocol.Run resumed = StreamingProtocol.run(model, ids, plan, LOCAS, training(),
                new RunOptions(0, NonFinitePolicy.STOP, dir, 1, true, "grow"), GROWTH, w -> { });
        try {
            for (int i = 0; i < plan.size(); i++) {
                WindowResult a = full.windows().get(i);
                WindowResult b = resumed.windows().get(i);
                assertThat(b.tokenNll()).as("window %d NLL", i).containsExactly(a.tokenNll());
                assertThat(b.trainLoss()).as("window %d loss", i).isEqualTo(a.trainLoss());
                assertThat(b.parameters()).isEqualTo(a.parameters());
            }
            LocasMemory x = (LocasMemory) full.adapter();
            LocasMemory y = (LocasMemory) resumed.adapter();
            assertThat(y.info()).isEqualTo(x.info());
            for (int i = 0; i < x.parameters().size(); i++) {
                assertThat(y.parameters().get(i).toFloatArray()).containsExactly(x.parameters().get(i).toFloatArray());
            }
        } finally {
            full.adapter().close();
            resumed.adapter().close();
        }
    }
}
