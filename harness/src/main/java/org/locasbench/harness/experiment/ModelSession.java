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
        if (spec.matches("cpu(:\\d+)?")) {
            return Device.cpu();
        }
        if (spec.matches("gpu(:\\d+)?")) {
            return Device.gpu(spec.contains(":") ? Integer.parseInt(spec.substring(4)) : 0);
        }
        throw new IllegalArgumentException("invalid config value 'devices': '" + spec + "' (use cpu, gpu or gpu:N)");
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
    }
}
