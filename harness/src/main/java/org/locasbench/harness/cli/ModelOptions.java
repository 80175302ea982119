package org.locasbench.harness.cli;

import java.nio.file.Path;
import org.locasbench.harness.config.CommonConfig;
import org.locasbench.harness.config.DataPaths;
import org.locasbench.harness.config.Devices;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.hub.ModelLocator;
import org.locasbench.model.tokenizer.TextTokenizer;
import picocli.CommandLine.Option;

/** {@code --model}, {@code --precision}, {@code --device}: shared by every command that loads a model. */
public final class ModelOptions {
    @Option(names = "--model", paramLabel = "DIR|ORG/NAME[@REV]", descriptionKey = "run.model",
            description = "Model directory, hub-cache folder or hub id (e.g. Qwen/Qwen3-1.7B-Base); default: the "
                    + "bundled data/models/tiny-qwen3-gutenberg.")
    String model;

    @Option(names = "--precision", descriptionKey = "run.precision",
            description = "fp32, fp16 (GPU) or fp64; default ${DEFAULT-VALUE}.")
    String precision;

    @Option(names = "--device", descriptionKey = "run.devices",
            description = "cpu, gpu or gpu:N; default ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--random-weights",
            description = "Do not read weights: initialise the shapes of --model's config.json randomly (N(0, 0.02), "
                    + "norms 1, as transformers does) - for speed runs on real shapes. --model must be a local folder.")
    boolean randomWeights;

    /** Checks --device against this machine's GPUs before anything is loaded (see ModelSession.parseDevice). */
    public void checkDevice() {
        Devices.available(device, "--device");
    }

    /** The model's directory (a download, if need be), after --device is checked: a bad device fails first. */
    public Path resolveDirectory() {
        checkDevice();
        String spec = model != null ? model : DataPaths.bundledModel();
        if (randomWeights && !java.nio.file.Files.isRegularFile(Path.of(spec, "config.json"))) {
            throw new IllegalArgumentException("--random-weights needs --model to be a local folder with config.json; "
                    + spec + " is not");
        }
        return ModelLocator.fromEnvironment(msg -> System.err.println(msg)).resolve(spec);
    }

    /** Loads the model in the validated run settings' precision on its first device. */
    public Qwen3Model load(Path directory, CommonConfig config) {
        var run = config.run();
        ai.djl.Device d = Devices.available(run.devices().get(0), "--device");
        System.err.println("note: " + org.locasbench.model.engine.FastPath.describe(d));
        return randomWeights ? Qwen3Model.random(directory, run.precision(), d, 0)
                : Qwen3Model.load(directory, run.precision(), d);
    }

    public static TextTokenizer tokenizerFor(Qwen3Model model) {
        TextTokenizer tokenizer = TextTokenizer.load(model.directory());
        tokenizer.requireFits(model.config().vocabSize(), model.directory().resolve("config.json"));
        return tokenizer;
    }
}
