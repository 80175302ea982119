package org.locasbench.harness.experiment;

import ai.djl.Device;
import java.nio.file.Path;
import org.locasbench.harness.cli.Defaults;
import org.locasbench.model.Precision;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.hub.ModelLocator;
import org.locasbench.model.tokenizer.TextTokenizer;

/** A worker's model and tokenizer on one device. */
public record ModelSession(Qwen3Model model, TextTokenizer tokenizer, String device) implements AutoCloseable {

    public static Path resolveModel(ExperimentConfig c) {
        return ModelLocator.fromEnvironment(System.err::println).resolve(c.model() != null ? c.model()
                : Defaults.bundledModel());
    }

    public static ModelSession open(Path modelDir, ExperimentConfig c, String device) {
        Qwen3Model model = Qwen3Model.load(modelDir, Precision.parse(c.precision()), parseDevice(device));
        try {
            TextTokenizer tokenizer = TextTokenizer.load(modelDir);
            tokenizer.requireFits(model.config().vocabSize(), modelDir.resolve("config.json"));
            return new ModelSession(model, tokenizer, device);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** {@code cpu}, {@code cpu:N} (several CPU workers, for testing the scheduling), {@code gpu} or {@code gpu:N}. */
    public static Device parseDevice(String spec) {
        return parseDevice(spec, "invalid config value 'devices'");
    }

    /**
     * As {@link #parseDevice(String)}, checked against the GPUs this machine has (DJL's engine count) when the run
     * starts, not by a libtorch trace later; {@code field} ({@code --device}, the config key) starts the message.
     */
    public static Device parseDevice(String spec, String field) {
        return parseDevice(spec, field, () -> ai.djl.engine.Engine.getInstance().getGpuCount());
    }

    /** As {@link #parseDevice(String, String)} with the machine's GPU count given (for tests). */
    public static Device parseDevice(String spec, String field, java.util.function.IntSupplier gpuCount) {
        if (spec.matches("cpu(:\\d+)?")) {
            return Device.cpu();
        }
        String where = field + (field.startsWith("--") ? " " : ": ") + spec;
        if (!spec.matches("gpu(:\\d{1,9})?")) {
            throw new IllegalArgumentException(where + ": not a device; use cpu, gpu or gpu:N");
        }
        int index = spec.contains(":") ? Integer.parseInt(spec.substring(4)) : 0;
        int gpus = gpuCount.getAsInt();
        if (index >= gpus) {
            String have = gpus == 0 ? "has no GPU (devices: cpu)" : "has " + gpus + (gpus == 1 ? " GPU: " : " GPUs: ")
                    + java.util.stream.IntStream.range(0, gpus).mapToObj(i -> "gpu:" + i)
                            .collect(java.util.stream.Collectors.joining(", "));
            throw new IllegalArgumentException(where + ": this machine " + have + (gpus == 0
                    ? "; use --device cpu (run: --set devices=cpu), or a CUDA build of libtorch on a GPU host "
                    + "(README: GPU runners)" : ""));
        }
        return Device.gpu(index);
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
    }
}
