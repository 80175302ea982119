package org.locasbench.benchmarks;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.locasbench.harness.protocol.Window;
import org.locasbench.harness.ttt.TestTimeTrainer;
import org.locasbench.locas.Clipping;
import org.locasbench.locas.InitStrategy;
import org.locasbench.locas.Memorizer;
import org.locasbench.lora.LoraAdapter;
import org.locasbench.lora.LoraConfig;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.TrainableAdapter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One test-time-training step (forward with adapter, backward, AdamW) on a 256-token window with 256 tokens of context,
 * Locas memory vs LoRA (all seven projections) at the same width r: the per-window training cost the methods add.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class TttStepBenchmark {
    @Param({"locas", "lora"})
    String method;

    @Param({"64"})
    int width;

    Qwen3Model model;
    TrainableAdapter adapter;
    TestTimeTrainer trainer;
    long[] ids;
    Window window = new Window(1, 0, 256, 512);

    @Setup(Level.Trial)
    public void load() {
        model = Qwen3Model.load(BenchmarkData.bundledModel());
        ids = new Random(42).longs(512, 0, model.config().vocabSize()).toArray();
        adapter = method.equals("locas")
                ? Memorizer.memorize(model, Arrays.copyOf(ids, 256), width, InitStrategy.HIGHEST, 0,
                        Clipping.REPARAMETERIZE)
                : LoraAdapter.create(model, LoraConfig.tempLora(width, 0));
        // the optimiser settings every command and experiment uses by default (experiments/common.yaml)
        var defaults = org.locasbench.harness.config.ConfigLoader.commonDefaults().common();
        trainer = new TestTimeTrainer(model, adapter, org.locasbench.harness.method.MethodSetup.of(defaults,
                method.equals("locas") ? org.locasbench.harness.config.Method.LOCAS
                        : org.locasbench.harness.config.Method.LORA).training());
        System.out.println(method + " r=" + width + ": " + adapter.parameterCount() + " trainable parameters ("
                + String.format("%.2f%%", 100.0 * adapter.parameterCount() / model.parameterCount()) + " of the model)");
    }

    @Benchmark
    public double step() {
        return trainer.train(ids, window);
    }

    @TearDown(Level.Trial)
    public void close() {
        trainer.close();
        adapter.close();
        model.close();
    }
}
