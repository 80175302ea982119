package org.locasbench.harness.cli;

import java.nio.file.Path;
import org.locasbench.model.Precision;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.hub.ModelLocator;
import org.locasbench.model.tokenizer.TextTokenizer;
import picocli.CommandLine.Option;

/** {@code --model}, {@code --precision}, {@code --device}: shared by every command that loads a model. */
public final class ModelOptions {
    @Option(names = "--model", paramLabel = "DIR|ORG/NAME[@REV]",
            description = "Model directory, hub-cache folder or hub id (e.g. Qwen/Qwen3-1.7B-Base); default: the "
                    + "bundled data/models/tiny-qwen3-gutenberg.")
    String model;

    @Option(names = "--precision", defaultValue = "fp32", description = "fp32 (default), fp16 (GPU) or fp64.")
    String precision;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N; default ${DEFAULT-VALUE}.")
    String device;

    public Path resolveDirectory() {
        String spec = model != null ? model : Defaults.bundledModel();
        return ModelLocator.fromEnvironment(msg -> System.err.println(msg)).resolve(spec);
    }

    public Qwen3Model load(Path directory) {
        return Qwen3Model.load(directory, Precision.parse(precision),
                org.locasbench.harness.experiment.ModelSession.parseDevice(device));
    }

    public static TextTokenizer tokenizerFor(Qwen3Model model) {
        TextTokenizer tokenizer = TextTokenizer.load(model.directory());
        tokenizer.requireFits(model.config().vocabSize(), model.directory().resolve("config.json"));
        return tokenizer;
    }
}
