package org.locasbench.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.locasbench.locas.Clipping;
import org.locasbench.locas.DenseFusion;
import org.locasbench.locas.InitStrategy;
import org.locasbench.locas.LocasMemory;
import org.locasbench.locas.Memorizer;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.safetensors.StoredType;
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

/** Cost of to_dense (fold the memory into a wider checkpoint, write it as bf16 safetensors): paid once per export. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class ToDenseBenchmark {
    @Param({"64"})
    int width;

    Qwen3Model model;
    LocasMemory memory;
    Path out;

    @Setup(Level.Trial)
    public void load() throws IOException {
        model = Qwen3Model.load(BenchmarkData.bundledModel());
        long[] ids = new Random(42).longs(512, 0, model.config().vocabSize()).toArray();
        memory = Memorizer.memorize(model, ids, width, InitStrategy.HIGHEST, 0, Clipping.REPARAMETERIZE);
        out = Files.createTempDirectory("to-dense-bench");
    }

    @Benchmark
    public long toDense() throws IOException {
        Path dir = out.resolve("dense");
        DenseFusion.toDense(model, memory, dir, StoredType.BF16);
        return Files.size(dir.resolve("model.safetensors"));
    }

    /** to_dense refuses a non-empty output folder; each call is long (> 100 ms), so per-invocation clean-up is fine. */
    @TearDown(Level.Invocation)
    public void removeOutput() throws IOException {
        delete(out.resolve("dense"));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        memory.close();
        model.close();
        delete(out);
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
