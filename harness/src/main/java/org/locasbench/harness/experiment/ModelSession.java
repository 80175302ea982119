package org.locasbench.harness.experiment;

import java.nio.file.Path;
import org.locasbench.harness.config.DataPaths;
import org.locasbench.harness.config.Devices;
import org.locasbench.harness.config.RunSettings;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.hub.ModelLocator;
import org.locasbench.model.tokenizer.TextTokenizer;

/** A worker's model and tokenizer on one device. */
public record ModelSession(Qwen3Model model, TextTokenizer tokenizer, String device) implements AutoCloseable {

    /** The run's model as a local directory (the bundled one when none is set). */
    public static Path resolveModel(RunSettings run) {
        return ModelLocator.fromEnvironment(System.err::println).resolve(run.model() != null ? run.model()
                : DataPaths.bundledModel());
    }

    public static ModelSession open(Path modelDir, RunSettings run, String device) {
        Qwen3Model model = Qwen3Model.load(modelDir, run.precision(), Devices.available(device, "run.devices"));
        try {
            TextTokenizer tokenizer = TextTokenizer.load(modelDir);
            tokenizer.requireFits(model.config().vocabSize(), modelDir.resolve("config.json"));
            return new ModelSession(model, tokenizer, device);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
    }
}
