package org.locasbench.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.EngineException;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOError;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locasbench.model.AtomicFiles;
import org.locasbench.model.ModelFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Running out of GPU memory, direct memory, heap or disk gives one {@code error:} line naming what ran out, how much
 * was asked and the option to change, and exit status 2. The mapper on realistic messages and cause chains, and the
 * handler of {@link Main} on a test-only command (picocli lets Errors through its execution handler).
 */
class ResourceErrorsTest {
    static final long GIB = 1L << 30;

    /** What libtorch 2.7's CUDA caching allocator says, with the C++ backtrace DJL's JNI passes along. */
    static final String CUDA_OOM = """
            CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 139.81 GiB of which 1.20 GiB \
            is free. Including non-PyTorch memory, this process has 138.60 GiB memory in use. Of the allocated memory \
            136.02 GiB is allocated by PyTorch, and 1.93 GiB is reserved by PyTorch but unallocated. If reserved but \
            unallocated memory is large try setting PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True to avoid \
            fragmentation.  See documentation for Memory Management  \
            (https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)
            Exception raised from malloc at /pytorch/c10/cuda/CUDACachingAllocator.cpp:1339 (most recent call first):
            frame #0: c10::Error::Error(c10::SourceLocation, std::string) + 0x98 (0x7f3c1a2b9788 in \
            /root/.djl.ai/pytorch/2.7.1-cu128-linux-x86_64/libc10.so)
            frame #1: <unknown function> + 0x3b7d5 (0x7f3c1a35c7d5 in \
            /root/.djl.ai/pytorch/2.7.1-cu128-linux-x86_64/libc10_cuda.so)
            frame #2: <unknown function> + 0x3bc4e (0x7f3c1a35cc4e in \
            /root/.djl.ai/pytorch/2.7.1-cu128-linux-x86_64/libc10_cuda.so)
            frame #3: at::detail::empty_generic(c10::ArrayRef<long>, c10::Allocator*, c10::DispatchKeySet, \
            c10::ScalarType, std::optional<c10::MemoryFormat>) + 0x5e (0x7f3b9e1c4a1e in libtorch_cpu.so)
            frame #4: at::native::empty_cuda(c10::ArrayRef<long>, std::optional<c10::ScalarType>) + 0x1a4 \
            (0x7f3b4c0d2e64 in libtorch_cuda.so)
            frame #5: at::_ops::matmul::call(at::Tensor const&, at::Tensor const&) + 0x1b6 (0x7f3ba0e3d5a6 in \
            libtorch_cpu.so)
            frame #6: Java_ai_djl_pytorch_jni_PyTorchLibrary_torchMatmul + 0x8d (0x7f3c18a4b0dd in \
            /root/.djl.ai/pytorch/2.7.1-cu128-linux-x86_64/0.35.1-libdjl_torch.so)
            frame #7: [0x7f3d0c8f1a3b]
            """;

    @TempDir
    Path tmp;

    static String one(Throwable t) {
        String m = ResourceErrors.describe(t, 4 * GIB).orElseThrow(() -> new AssertionError("not mapped: " + t));
        assertThat(m).as("one line").doesNotContain("\n").doesNotContain("frame #").doesNotContain("c10::");
        System.out.println(t.getClass().getSimpleName() + " -> error: " + m);
        return m;
    }

    @Test
    void cudaOutOfMemoryFromDjlNamesDeviceSizesAndOptions() {
        String m = one(new EngineException(CUDA_OOM));
        assertThat(m).startsWith("out of GPU memory on gpu:0 (tried to allocate 2.00 GiB, 1.20 GiB free of 139.81 GiB)")
                .contains("--window", "--context", "--set mmlu.batchSize=N", "--precision fp16", "larger GPU");
        // wrapped by the experiment runner and by picocli: the same line
        Throwable wrapped = new CommandLine.ExecutionException(new CommandLine(new Main()), "Error while calling "
                + "command: " + CUDA_OOM, new IllegalStateException("window 3 of PG-19 10146 failed",
                new EngineException(CUDA_OOM)));
        assertThat(one(wrapped)).isEqualTo(m);
        assertThat(one(new ExecutionException(new RuntimeException(new EngineException(CUDA_OOM))))).isEqualTo(m);
    }

    /** Every {@code --set KEY=N} the messages suggest is a key the config loader accepts (with N = 1). */
    @Test
    void suggestedSettingsAreRealConfigKeys() {
        String gpu = one(new EngineException(CUDA_OOM));
        String host = one(new EngineException("[enforce fail at alloc_cpu.cpp:117] data. DefaultCPUAllocator: not "
                + "enough memory: you tried to allocate 68719476736 bytes."));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("--set ([A-Za-z.]+)=N").matcher(gpu + " " + host);
        java.util.Set<String> keys = new java.util.TreeSet<>();
        while (m.find()) {
            keys.add(m.group(1));
        }
        assertThat(keys).containsExactly("grpo.microBatch", "mmlu.batchSize", "window.context", "window.size");
        for (String key : keys) {
            var kind = org.locasbench.harness.experiment.ExperimentKind.MMLU;
            var layers = org.locasbench.harness.config.ConfigLoader.load(kind.id(), kind.sections(), null, List.of(
                    new org.locasbench.harness.config.ConfigLoader.Setting(key, "1", "--set")),
                    new java.util.Properties());
            layers.common();
            var mmlu = layers.section("mmlu", org.locasbench.harness.config.MmluSettings.class);
            assertThat(layers.tree().path(key.split("\\.")[0]).path(key.split("\\.")[1]).asInt()).as(key)
                    .isEqualTo(1);
            assertThat(mmlu).isNotNull();
        }
    }

    @Test
    void cudaOutOfMemoryInOtherShapes() {
        // libtorch 1.x wording, on another device
        assertThat(one(new EngineException("CUDA out of memory. Tried to allocate 20.00 MiB (GPU 1; 15.78 GiB total "
                + "capacity; 14.56 GiB already allocated; 3.44 MiB free; 14.68 GiB reserved in total by PyTorch) If "
                + "reserved memory is >> allocated memory try setting max_split_size_mb\nException raised from malloc"
                + "\nframe #0: c10::Error::Error")))
                .startsWith("out of GPU memory on gpu:1 (tried to allocate 20.00 MiB, 3.44 MiB free of 15.78 GiB): ");
        // no numbers at all
        assertThat(one(new EngineException("CUDA out of memory.")))
                .startsWith("out of GPU memory: use a smaller --window");
        // cudaMalloc outside the caching allocator, cuBLAS workspace
        assertThat(one(new EngineException("CUDA error: out of memory\nCUDA kernel errors might be asynchronously "
                + "reported at some other API call, so the stacktrace below might be incorrect.\nFor debugging "
                + "consider passing CUDA_LAUNCH_BLOCKING=1")))
                .startsWith("out of GPU memory (CUDA error: out of memory): use a smaller --window");
        assertThat(one(new EngineException("CUDA error: CUBLAS_STATUS_ALLOC_FAILED when calling "
                + "`cublasCreate(handle)`"))).startsWith("out of GPU memory (CUBLAS_STATUS_ALLOC_FAILED): ");
        // libtorch's host allocator
        assertThat(one(new EngineException("[enforce fail at alloc_cpu.cpp:117] data. DefaultCPUAllocator: not "
                + "enough memory: you tried to allocate 68719476736 bytes.\nframe #0: c10::ThrowEnforceNotMet")))
                .startsWith("out of host memory in libtorch (tried to allocate 64.0 GiB): use a smaller --window");
    }

    @Test
    void directMemoryNamesSizesAndTheLimitOption() {
        String m = one(new OutOfMemoryError("Cannot reserve 8388608 bytes of direct buffer memory (allocated: "
                + "1040, limit: 1048576)"));
        assertThat(m).isEqualTo("out of Java direct memory (tried to reserve 8.00 MiB with 1.02 KiB of the 1.00 MiB "
                + "limit in use): raise the limit, e.g. LOCAS_JAVA_OPTS=\"-Xmx8g -XX:MaxDirectMemorySize=1g\" for "
                + "bin/locas-bench, -Dmain.jvm=\"-Xmx4g -XX:MaxDirectMemorySize=1g\" for mvn -Pmain");
        // the bundle's 32g default ran out converting a large checkpoint: the suggestion is above it
        assertThat(one(new IllegalStateException("loading model.safetensors", new OutOfMemoryError("Cannot reserve "
                + "1244659712 bytes of direct buffer memory (allocated: 33822867456, limit: 34359738368)"))))
                .startsWith("out of Java direct memory (tried to reserve 1.16 GiB with 31.5 GiB of the 32.0 GiB")
                .contains("-XX:MaxDirectMemorySize=64g");
        // Java 8-style message without numbers
        assertThat(one(new OutOfMemoryError("Direct buffer memory"))).startsWith("out of Java direct memory: raise "
                + "-XX:MaxDirectMemorySize");
    }

    @Test
    void heapNamesTheLimitAndTheXmxOption() {
        assertThat(one(new OutOfMemoryError("Java heap space"))).isEqualTo("out of Java heap space (heap limit "
                + "4.00 GiB): raise -Xmx, e.g. LOCAS_JAVA_OPTS=\"-Xmx8g -XX:MaxDirectMemorySize=32g\" for "
                + "bin/locas-bench, -Dmain.jvm=\"-Xmx8g\" for mvn -Pmain");
        assertThat(one(new ExecutionException(new OutOfMemoryError("GC overhead limit exceeded"))))
                .startsWith("out of Java heap space");
        assertThat(one(new OutOfMemoryError("Metaspace"))).isEqualTo("the JVM ran out of memory (Metaspace): raise the "
                + "matching limit in LOCAS_JAVA_OPTS (bin/locas-bench) or -Dmain.jvm (mvn -Pmain)");
    }

    @Test
    void diskFullNamesTheFileAndWhatToDo() {
        String hint = ": free space on that file system or choose another --out";
        Path json = Path.of("/data/results/pg19/10146-locas.json");
        assertThat(one(new UncheckedIOException("cannot save results", new FileSystemException(json.toString(), null,
                "No space left on device")))).isEqualTo("out of disk space writing " + json + hint);
        // Files.copy: the target (other file) is the one being written
        assertThat(one(new FileSystemException("/models/qwen3/model.safetensors", "/out/dense/model.safetensors",
                "No space left on device"))).isEqualTo("out of disk space writing /out/dense/model.safetensors" + hint);
        // FileOutputStream's open, a stream's write with no path, a quota
        assertThat(one(new FileNotFoundException("/ckpt/run-1/progress.json (No space left on device)")))
                .isEqualTo("out of disk space writing /ckpt/run-1/progress.json" + hint);
        assertThat(one(new UncheckedIOException(new IOException("No space left on device"))))
                .isEqualTo("out of disk space" + hint);
        assertThat(one(new IOError(new IOException("/home/u/out.json: Disk quota exceeded"))))
                .isEqualTo("out of disk quota writing /home/u/out.json" + hint);
        assertThat(one(new IOException("memory file needs 25165824 bytes", new IOException("No space left on "
                + "device")))).isEqualTo("out of disk space (needed 24.0 MiB)" + hint);
    }

    @Test
    void otherErrorsAreNotResourceErrors() {
        assertThat(ResourceErrors.describe(new IllegalArgumentException("Size must be positive"), GIB)).isEmpty();
        assertThat(ResourceErrors.describe(new EngineException("expected scalar type Float but found Half"), GIB))
                .isEmpty();
        assertThat(ResourceErrors.describe(new IOException("Connection reset"), GIB)).isEmpty();
        assertThat(ResourceErrors.describe(new StackOverflowError(), GIB)).isEmpty();
    }

    // --- Main's handler, on a test-only command

    @Command(name = "fail")
    static final class Fail implements Callable<Integer> {
        @Parameters(index = "0")
        String what;

        @Parameters(index = "1", arity = "0..1")
        Path out;

        @Override
        public Integer call() throws Exception {
            switch (what) {
                case "heap" -> throw new OutOfMemoryError("Java heap space");
                case "direct" -> throw new OutOfMemoryError("Cannot reserve 8388608 bytes of direct buffer memory "
                        + "(allocated: 0, limit: 1048576)");
                case "gpu" -> throw new IllegalStateException("scoring failed", new EngineException(CUDA_OOM));
                case "disk" -> {
                    try { // a real ENOSPC from the kernel: the bytes go to /dev/full
                        AtomicFiles.write(out, o -> {
                            try (FileOutputStream full = new FileOutputStream("/dev/full")) {
                                full.write(new byte[1 << 16]);
                            }
                        });
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot save the memory", e);
                    }
                    return 0;
                }
                case "bad" -> throw new ModelFormatException(Path.of("/m/config.json"), "not valid JSON");
                default -> throw new IllegalStateException("boom");
            }
        }
    }

    record Run(int code, List<String> errLines) {}

    static Run execute(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = new CommandLine(new Fail());
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        int code = Main.execute(cli, args);
        return new Run(code, err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    static void oneErrorLine(Run r, String... contains) {
        System.out.println("handler -> " + r.errLines());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("error: ").contains(contains);
    }

    @Test
    void handlerPrintsOneLineAndExitsTwoForEveryResource() throws Exception {
        oneErrorLine(execute("heap"), "out of Java heap space", "-Xmx");
        oneErrorLine(execute("direct"), "out of Java direct memory", "tried to reserve 8.00 MiB",
                "MaxDirectMemorySize");
        oneErrorLine(execute("gpu"), "error: out of GPU memory on gpu:0 (tried to allocate 2.00 GiB, 1.20 GiB free",
                "--window");
        assumeTrue(Files.isWritable(Path.of("/dev/full")), "no /dev/full here");
        Path out = tmp.resolve("mem.safetensors");
        oneErrorLine(execute("disk", out.toString()), "error: out of disk space writing " + out, "--out");
        try (var left = Files.list(tmp)) {
            assertThat(left).as("no partial file left").isEmpty();
        }
    }

    @Test
    void otherFailuresKeepTheirBehaviour() {
        Run bad = execute("bad");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.errLines()).containsExactly("error: /m/config.json: not valid JSON");
        Run boom = execute("boom");
        assertThat(boom.code()).isEqualTo(1);
        assertThat(boom.errLines().get(0)).isEqualTo("error: boom");
        assertThat(boom.errLines()).anyMatch(l -> l.startsWith("\tat "));
    }
}
