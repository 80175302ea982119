package org.locasbench.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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

/**
 * Forward throughput of the bundled tiny Qwen3 (8.4M parameters) on CPU, fp32: the cost of scoring one window, which
 * every experiment pays once per window. Score is windows/s; tokens/s = score x tokens.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class ForwardBenchmark {
    @Param({"512", "1024"})
    int tokens;

    Qwen3Model model;
    long[] ids;

    @Setup(Level.Trial)
    public void load() {
        model = Qwen3Model.load(BenchmarkData.bundledModel());
        Random random = new Random(42);
        ids = random.longs(tokens, 0, model.config().vocabSize()).toArray();
    }

    @Benchmark
    public float forward() {
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray logits = model.logits(scope.create(ids, new Shape(1, tokens)));
            return logits.get("0, -1, 0").getFloat(); // reading back forces the computation to finish
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        model.close();
    }
}
