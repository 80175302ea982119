package org.locasbench.harness.experiment;

import java.nio.file.Path;
import org.locasbench.harness.config.DataPaths;
import org.locasbench.harness.config.Devices;
import org.locasbench.harness.config.RunSettings;
import org.locasbench.harness.protocol.Window;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.hub.ModelLocator;
import org.locasbench.model.tokenizer.TextTokenizer;

/** A worker's model and tokenizer on one device, warmed up on every window shape before a timed run meets it. */
public final class ModelSession implements AutoCloseable {
    private final Qwen3Model model;
    private final TextTokenizer tokenizer;
    private final String device;
    private double warmUpSeconds;
    /** Window shapes already run once for scoring / for training steps. */
    private final java.util.Set<Window.Geometry> warmedScoring = new java.util.HashSet<>();
    private final java.util.Set<Window.Geometry> warmedTraining = new java.util.HashSet<>();

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
     * Runs, once for every window shape of {@code plan} (tokens fed, offset of the first scored one) that this session
     * has not run yet, what a timed window of that shape runs: a scoring forward and, with {@code trains}, training
     * steps of a throwaway width-1 Locas memory (backward and AdamW; on the GPU fast path eager, captured and
     * replayed). Library start-up is per shape (kernel and attention-plan selection, allocator growth: up to seconds
     * for a new shape on a GPU), so without this a run's first window and its short last one would charge it to
     * whichever method met the shape first. Returns the
     * seconds this session has spent warming up so far (reported as {@code warmup_seconds}, in no wall time).
     */
    public synchronized double warmUp(long[] ids, java.util.List<Window> plan,
            boolean trains, org.locasbench.harness.ttt.TrainingConfig training) {
        long t0 = System.nanoTime();
        var score = new java.util.LinkedHashSet<Window.Geometry>();
        var train = new java.util.LinkedHashSet<Window.Geometry>();
        for (var w : plan) {
            if (warmedScoring.add(w.geometry())) {
                score.add(w.geometry());
            }
            if (trains && warmedTraining.add(w.geometry())) {
                train.add(w.geometry());
            }
        }
        var shapes = new java.util.LinkedHashSet<>(score);
        shapes.addAll(train);
        if (shapes.isEmpty()) {
            return warmUpSeconds;
        }
        System.err.println("note: warming up " + shapes.size() + " new window shape(s), untimed (warmup_seconds)");
        for (var shape : score) {
            org.locasbench.harness.protocol.WindowScorer.score(model, org.locasbench.model.adapter.LayerAdapter.NONE,
                    ids, shape.atStart());
        }
        // on the GPU fast path the second step captures the step as a CUDA graph and the third replays it, so the
        // process's first capture (graph pool, a side stream's cuBLAS workspace) is start-up too; each timed run still
        // captures its own graph. Without graphs one step is what a timed window runs.
        int steps = org.locasbench.model.engine.FastPath.on(org.locasbench.model.engine.FastPath.Lever.CUDA_GRAPH,
                model.manager().getDevice()) ? 3 : 1;
        for (var shape : train) {
            try (var memory = org.locasbench.locas.Memorizer.memorize(model, java.util.Arrays.copyOf(ids,
                    shape.length()), 1, org.locasbench.locas.InitStrategy.HIGHEST, 0,
                    org.locasbench.locas.Clipping.REPARAMETERIZE);
                    var trainer = new org.locasbench.harness.ttt.TestTimeTrainer(model, memory, training)) {
                for (int step = 0; step < steps; step++) {
                    trainer.train(ids, shape.atStart());
                }
            }
        }
        warmUpSeconds += (System.nanoTime() - t0) / 1e9;
        return warmUpSeconds;
    }

    /** The window shapes warmed so far: for scoring, or for training steps. */
    synchronized java.util.Set<Window.Geometry> warmedShapes(boolean training) {
        return java.util.Set.copyOf(training ? warmedTraining : warmedScoring);
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
