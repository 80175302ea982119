package org.locasbench.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.locasbench.locas.Clipping;
import org.locasbench.locas.InitStrategy;
import org.locasbench.locas.LocasMemory;
import org.locasbench.locas.Memorizer;
import org.locasbench.model.Qwen3Model;
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

/** Cost of Locas' memorize (one frozen forward + importance + row selection) on the tiny model: paid once per book. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class MemorizeBenchmark {
    @Param({"512"})
    int tokens;

    @Param({"64"})
    int width;

    Qwen3Model model;
    long[] ids;

    @Setup(Level.Trial)
    public void load() {
        model = Qwen3Model.load(BenchmarkData.bundledModel());
        ids = new Random(42).longs(tokens, 0, model.config().vocabSize()).toArray();
    }

    @Benchmark
    public long memorize() {
        try (LocasMemory memory = Memorizer.memorize(model, ids, width, InitStrategy.HIGHEST, 0,
                Clipping.REPARAMETERIZE)) {
            return memory.parameterCount();
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        model.close();
    }
}
