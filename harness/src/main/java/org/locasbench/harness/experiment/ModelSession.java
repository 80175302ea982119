package org.locasbench.harness.experiment;

import java.nio.file.Path;
import org.locasbench.harness.config.DataPaths;
import org.locasbench.harness.config.Devices;
import org.locasbench.harness.config.RunSettings;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.hub.ModelLocator;
import org.locasbench.model.tokenizer.TextTokenizer;

/** A worker's model and tokenizer on one device, warmed up on every window shape before a timed run meets it. */
public final class ModelSession implements AutoCloseable {
    private final Qwen3Model model;
    private final TextTokenizer tokenizer;
    private final String device;
    private double warmUpSeconds;
    /** Window shapes (tokens fed, first scored offset) already run once for scoring / for a training step. */
    private final java.util.Set<java.util.List<Integer>> warmedScoring = new java.util.HashSet<>();
    private final java.util.Set<java.util.List<Integer>> warmedTraining = new java.util.HashSet<>();

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
     * steps of a throwaway width-1 Locas memory (backward and AdamW; eager, then captured and replayed on the GPU). Library start-up is per shape (kernel and
     * attention-plan selection, allocator growth: up to seconds for a new shape on a GPU), so without this a run's
     * first window and its short last one would charge it to whichever method met the shape first. Returns the
     * seconds this session has spent warming up so far (reported as {@code warmup_seconds}, in no wall time).
     */
    public synchronized double warmUp(long[] ids, java.util.List<org.locasbench.harness.protocol.Window> plan,
            boolean trains, org.locasbench.harness.ttt.TrainingConfig training) {
        long t0 = System.nanoTime();
        // shapes new to this session, each with whether it still needs its scoring forward and its training steps
        var todo = new java.util.LinkedHashMap<java.util.List<Integer>, boolean[]>();
        for (var w : plan) {
            var shape = java.util.List.of(w.end() - w.contextStart(), w.firstScored() - w.contextStart());
            boolean score = warmedScoring.add(shape);
            boolean train = trains && warmedTraining.add(shape);
            if (score || train) {
                todo.put(shape, new boolean[] {score, train});
            }
        }
        if (todo.isEmpty()) {
            return warmUpSeconds;
        }
        System.err.println("note: warming up " + todo.size() + " new window shape(s), untimed (warmup_seconds)");
        todo.forEach((shape, what) -> {
            int length = shape.get(0);
            int firstScored = shape.get(1);
            // the same shape at the start of the stream: `firstScored` earlier tokens, then the new ones
            var same = new org.locasbench.harness.protocol.Window(0, 0, firstScored <= 1 ? 0 : firstScored, length);
            if (what[0]) {
                org.locasbench.harness.protocol.WindowScorer.score(model,
                        org.locasbench.model.adapter.LayerAdapter.NONE, ids, same);
            }
            if (what[1]) {
                try (var memory = org.locasbench.locas.Memorizer.memorize(model, java.util.Arrays.copyOf(ids, length),
                        1, org.locasbench.locas.InitStrategy.HIGHEST, 0, org.locasbench.locas.Clipping.REPARAMETERIZE);
                        var trainer = new org.locasbench.harness.ttt.TestTimeTrainer(model, memory, training)) {
                    // three steps: on the GPU fast path the second captures the step as a CUDA graph and the third
                    // replays it, so the process's first capture (graph pool, a side stream's cuBLAS workspace) is
                    // start-up too; each timed run still captures its own graph
                    for (int step = 0; step < 3; step++) {
                        trainer.train(ids, same);
                    }
                }
            }
        });
        warmUpSeconds += (System.nanoTime() - t0) / 1e9;
        return warmUpSeconds;
    }

    /** The window shapes (tokens fed, first scored offset) warmed so far: for scoring, or for training steps. */
    synchronized java.util.Set<java.util.List<Integer>> warmedShapes(boolean training) {
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
