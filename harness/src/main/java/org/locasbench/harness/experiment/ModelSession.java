package org.locasbench.harness.experiment;

import java.nio.file.Path;
import org.locasbench.harness.config.DataPaths;
import org.locasbench.harness.config.Devices;
import org.locasbench.harness.config.RunSettings;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.hub.ModelLocator;
import org.locasbench.model.tokenizer.TextTokenizer;

/** A worker's model and tokenizer on one device, warmed up once before the first timed run. */
public final class ModelSession implements AutoCloseable {
    private final Qwen3Model model;
    private final TextTokenizer tokenizer;
    private final String device;
    private Double warmUpSeconds;

    public ModelSession(Qwen3Model model, TextTokenizer tokenizer, String device) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.device = device;
    }

    public Qwen3Model model() {
        return model;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    public String device() {
        return device;
    }

    /**
     * Runs, the first time only, what a timed window runs (a scoring forward over {@code context + window} tokens of
     * {@code ids}, and one training step of a throwaway width-1 Locas memory: backward and AdamW), so that library
     * start-up (kernel selection, allocator growth, JIT) is not charged to whichever method happens to run first.
     * Returns the seconds it took (the same number on later calls: reported as {@code warmup_seconds}).
     */
    public synchronized double warmUp(long[] ids, int window, int context, org.locasbench.harness.ttt.TrainingConfig
            training) {
        if (warmUpSeconds == null) {
            long t0 = System.nanoTime();
            int end = Math.min(ids.length, window + context);
            // the shape of a timed window: `context` earlier tokens (as many as there are), then the new ones
            var first = new org.locasbench.harness.protocol.Window(0, 0, Math.min(context, end - 1), end);
            org.locasbench.harness.protocol.WindowScorer.score(model, org.locasbench.model.adapter.LayerAdapter.NONE,
                    ids, first);
            try (var memory = org.locasbench.locas.Memorizer.memorize(model, java.util.Arrays.copyOf(ids, end), 1,
                    org.locasbench.locas.InitStrategy.HIGHEST, 0, org.locasbench.locas.Clipping.REPARAMETERIZE);
                    var trainer = new org.locasbench.harness.ttt.TestTimeTrainer(model, memory, training)) {
                trainer.train(ids, first);
            }
            warmUpSeconds = (System.nanoTime() - t0) / 1e9;
        }
        return warmUpSeconds;
    }

    /** The run's model as a local directory (the bundled one when none is set). */
    public static Path resolveModel(RunSettings run) {
        return ModelLocator.fromEnvironment(System.err::println).resolve(run.model() != null ? run.model()
                : DataPaths.bundledModel());
    }

    public static ModelSession open(Path modelDir, RunSettings run, String device) {
        ai.djl.Device onDevice = Devices.available(device, "run.devices");
        System.err.println("note: " + org.locasbench.model.engine.FastPath.describe(onDevice));
        Qwen3Model model = Qwen3Model.load(modelDir, run.precision(), onDevice);
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
