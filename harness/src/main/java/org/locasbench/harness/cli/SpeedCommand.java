package org.locasbench.harness.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.locasbench.harness.protocol.Window;
import org.locasbench.harness.protocol.WindowPlan;
import org.locasbench.harness.ttt.StreamingProtocol;
import org.locasbench.harness.ttt.TrainingConfig;
import org.locasbench.harness.ttt.WindowResult;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.config.Qwen3Config;
import org.locasbench.model.engine.FastPath;
import org.locasbench.model.engine.GpuTimer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Times the PG-19 streaming protocol window by window (score, then one Locas training step) after a few warm-up
 * windows: what the speed race against the PyTorch reference compares (benchmarks/race.sh).
 */
@Command(name = "speed", mixinStandardHelpOptions = true,
        description = "Time score + train per window of the streaming protocol (Locas or no memory) after warm-up "
                + "windows; prints ms per window, tokens/s and device memory as JSON.")
public final class SpeedCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    TextInput input = new TextInput();

    @Mixin
    MemoryOptions memoryOptions = new MemoryOptions();

    @Mixin
    TrainingOptions training = new TrainingOptions();

    @Option(names = "--method", defaultValue = "locas",
            description = "locas (default), lora (section lora: --set lora.rank=64 ...) or none (scoring only).")
    String method;

    @Option(names = "--warmup", defaultValue = "2",
            description = "Windows run but not timed (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--windows", defaultValue = "8", description = "Windows timed (default ${DEFAULT-VALUE}).")
    int windows;

    @Override
    public Integer call() throws Exception {
        new OutputCheck().file("--json", training.json);
        org.locasbench.harness.config.Method chosen = switch (method) {
            case "locas" -> org.locasbench.harness.config.Method.LOCAS;
            case "lora" -> org.locasbench.harness.config.Method.LORA;
            case "none" -> org.locasbench.harness.config.Method.NONE;
            default -> throw new IllegalArgumentException("unknown --method '" + method + "'; use locas, lora or none");
        };
        if (warmup < 0 || windows < 1) {
            throw new IllegalArgumentException("--warmup must be >= 0 and --windows >= 1");
        }
        var common = ConfigDefaults.common(spec);
        var setup = org.locasbench.harness.method.MethodSetup.of(common, chosen);
        TrainingConfig config = org.locasbench.harness.method.MethodSetup.of(common,
                chosen == org.locasbench.harness.config.Method.NONE ? org.locasbench.harness.config.Method.LOCAS
                        : chosen).training();
        int windowSize = common.window().size();
        int contextSize = common.window().context();
        Path dir = modelOptions.resolveDirectory();
        try (Qwen3Model model = modelOptions.load(dir, common)) {
            TextInput.Tokens tokens = Commands.tokens(input, model);
            int needed = (warmup + windows) * windowSize;
            if (tokens.ids().length < needed) {
                throw new IllegalArgumentException(tokens.description() + " has " + tokens.ids().length
                        + " tokens; " + (warmup + windows) + " windows of " + windowSize + " need " + needed);
            }
            long[] ids = Arrays.copyOf(tokens.ids(), needed);
            List<Window> plan = WindowPlan.of(ids.length, windowSize, contextSize);
            Device device = model.manager().getDevice();
            // GPU timeline span of each window: CUDA events at the end of one window's listener and the next one's, on
            // the stream the windows run on (kernels plus any idle gaps; needs a CUDA build of the native library)
            GpuTimer timer = device.isGpu() && FastPath.status().cuda() ? new GpuTimer() : null;
            List<Double> gpuMs = new java.util.ArrayList<>();
            StreamingProtocol.Run run;
            try {
                run = StreamingProtocol.run(model, ids, plan, setup.factory(), config, r -> {
                    if (timer != null) {
                        timer.stop();
                        gpuMs.add(r.index() == 0 ? Double.NaN : timer.elapsedMs());
                        timer.start();
                    }
                    System.err.printf("window %d: score %.1f ms, train %.1f ms%s%n", r.index(),
                            r.scoreSeconds() * 1e3, r.trainSeconds() * 1e3, timer == null ? ""
                                    : String.format(", GPU %.1f ms", gpuMs.get(gpuMs.size() - 1)));
                });
            } finally {
                if (timer != null) {
                    timer.close();
                }
            }
            List<WindowResult> timed = run.windows().subList(warmup, run.windows().size());
            double[] score = timed.stream().mapToDouble(r -> r.scoreSeconds() * 1e3).toArray();
            double[] train = timed.stream().mapToDouble(r -> r.trainSeconds() * 1e3).toArray();
            double[] total = timed.stream().mapToDouble(r -> (r.scoreSeconds() + r.trainSeconds()) * 1e3).toArray();
            Qwen3Config c = model.config();
            ObjectNode json = JsonOutput.object().put("implementation", "java-djl").put("method", method)
                    .put("model", dir.toString()).put("random_weights", modelOptions.randomWeights)
                    .put("parameters", model.parameterCount()).put("precision", model.precision().name().toLowerCase())
                    .put("device", common.run().devices().get(0)).put("window", windowSize).put("context", contextSize)
                    .put("width", chosen == org.locasbench.harness.config.Method.LOCAS ? common.locas().width() : 0)
                    .put("lora_rank", chosen == org.locasbench.harness.config.Method.LORA ? common.lora().rank() : 0).put("lr", config.learningRate())
                    .put("steps_per_window", config.stepsPerWindow()).put("warmup_windows", warmup)
                    .put("timed_windows", windows).put("mean_nll", run.meanNll());
            json.putObject("shape").put("layers", c.numHiddenLayers()).put("hidden", c.hiddenSize())
                    .put("intermediate", c.intermediateSize()).put("heads", c.numAttentionHeads())
                    .put("kv_heads", c.numKeyValueHeads()).put("head_dim", c.headDim()).put("vocab", c.vocabSize());
            putStats(json.putObject("score_ms"), score);
            putStats(json.putObject("train_ms"), train);
            putStats(json.putObject("window_ms"), total);
            json.put("path", FastPath.describe(device));
            if (!gpuMs.isEmpty()) {
                double[] gpu = gpuMs.subList(warmup, gpuMs.size()).stream().mapToDouble(Double::doubleValue)
                        .filter(Double::isFinite).toArray();
                if (gpu.length > 0) {
                    putStats(json.putObject("gpu_ms"), gpu);
                }
            }
            json.put("tokens_per_s", windowSize / (Arrays.stream(total).average().orElseThrow() / 1e3));
            Long used = deviceMemoryUsed(org.locasbench.harness.config.Devices.parse(common.run().devices().get(0), "--device"));
            json.put("device_memory_used_bytes", used);
            if (run.adapter() != null) {
                json.put("trainable_parameters", run.adapter().parameterCount());
                run.adapter().close();
            }
            JsonOutput.emit(json, training.json);
        }
        return 0;
    }

    private static void putStats(ObjectNode node, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        node.put("mean", Arrays.stream(values).average().orElseThrow()).put("median", median).put("min", sorted[0])
                .put("max", sorted[sorted.length - 1]);
    }

    /**
     * Device memory in use after the run (cudaMemGetInfo: CUDA context plus PyTorch's caching allocator, which keeps
     * its high-water mark), or null on the CPU or when DJL cannot reach libcudart.
     */
    private static Long deviceMemoryUsed(Device device) {
        if (!device.isGpu()) {
            return null;
        }
        try {
            return ai.djl.util.cuda.CudaUtils.getGpuMemory(device).getUsed();
        } catch (RuntimeException | LinkageError e) {
            System.err.println("note: device memory not available (" + e.getMessage() + ")");
            return null;
        }
    }
}
