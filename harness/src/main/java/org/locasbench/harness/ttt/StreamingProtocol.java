package org.locasbench.harness.ttt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.locasbench.harness.protocol.Window;
import org.locasbench.harness.protocol.WindowScorer;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.adapter.TrainableAdapter;

/**
 * The paper's streaming protocol: for each window, first score it with the current adapter (that NLL counts), then
 * train the adapter on it, then move on. The adapter is created at the first window by the method's factory (Locas:
 * {@code memorize} on that window) and keeps training across all later windows. Without a factory this is plain
 * scoring with the frozen model (the no-memory baseline).
 */
public final class StreamingProtocol {
    private StreamingProtocol() {}

    /** Result of a run: per-window metrics and the trained adapter (null for the frozen baseline; caller closes it). */
    public record Run(List<WindowResult> windows, TrainableAdapter adapter) {
        public double meanNll() {
            double sum = 0;
            long n = 0;
            for (WindowResult w : windows) {
                sum += w.nllSum();
                n += w.scoredTokens();
            }
            return sum / n;
        }
    }

    public static Run run(Qwen3Model model, long[] ids, List<Window> plan, AdapterFactory factory,
            TrainingConfig config, Consumer<WindowResult> listener) {
        return run(model, ids, plan, factory, config, RunOptions.DEFAULT, listener);
    }

    /** The protocol with a seed, a NaN policy and (optionally) checkpoints every N windows / resume from the last. */
    public static Run run(Qwen3Model model, long[] ids, List<Window> plan, AdapterFactory factory,
            TrainingConfig config, RunOptions options, Consumer<WindowResult> listener) {
        return run(model, ids, plan, factory, config, options, null, listener);
    }

    /** As above; with {@code growth} (not null) the Locas memory grows after the windows it names. */
    public static Run run(Qwen3Model model, long[] ids, List<Window> plan, AdapterFactory factory,
            TrainingConfig config, RunOptions options, MemoryGrowth growth, Consumer<WindowResult> listener) {
        if (factory != null && config.loss() == LossKind.GRPO && plan.stream().noneMatch(w ->
                org.locasbench.harness.ttt.grpo.GrpoWindow.trainable(w, config.grpo()))) {
            org.locasbench.harness.ttt.grpo.GrpoWindow.requireTrainable(plan.get(0), config.grpo()); // before any work
        }
        List<WindowResult> results = new ArrayList<>();
        Optional<TrainingCheckpoint.Loaded> resumed = Optional.empty();
        if (options.resume() && options.checkpointDir() != null) {
            resumed = TrainingCheckpoint.load(options.checkpointDir());
            if (resumed.isPresent() && !resumed.get().fingerprint().equals(options.fingerprint())) {
                throw new IllegalArgumentException("checkpoint in " + options.checkpointDir() + " belongs to another "
                        + "run (different config, data or model); use a new --checkpoint-dir or drop --resume");
            }
            resumed.ifPresent(r -> results.addAll(r.results()));
        }
        TrainableAdapter adapter = null;
        TestTimeTrainer trainer = null;
        try {
            for (Window w : plan) {
                if (factory != null && adapter == null) {
                    // always made from the first window, so a resumed run starts from the same memory
                    Window first = plan.get(0);
                    adapter = factory.create(model, Arrays.copyOfRange(ids, first.contextStart(), first.end()));
                    if (growth != null) {
                        growth.check(model, adapter);
                    }
                    trainer = new TestTimeTrainer(model, adapter, config, options.seed(), options.onNonFinite());
                    if (resumed.isPresent() && resumed.get().windowsDone() > 0) {
                        TrainingCheckpoint.restore(resumed.get(), adapter, trainer.optimizer());
                    }
                }
                if (w.index() < results.size()) {
                    continue; // done before the interruption
                }
                long t0 = System.nanoTime();
                float[] nll;
                long t1;
                double loss;
                if (trainer != null && trainer.scoresOnFirstStep()) {
                    // one forward for the score and the first step: the NLL is read before the backward pass
                    float[][] scored = new float[1][];
                    long[] scoredAt = new long[1];
                    loss = trainer.train(ids, w, x -> {
                        scored[0] = x;
                        scoredAt[0] = System.nanoTime();
                    });
                    nll = scored[0];
                    t1 = scoredAt[0];
                } else {
                    nll = WindowScorer.score(model, adapter == null ? LayerAdapter.NONE : adapter, ids, w);
                    t1 = System.nanoTime();
                    loss = trainer == null ? Double.NaN : trainer.train(ids, w);
                }
                if (growth != null && adapter != null) {
                    growth.afterWindow(model, adapter, ids, w, plan.size());
                }
                long t2 = System.nanoTime();
                double sum = 0;
                for (float v : nll) {
                    sum += v;
                }
                if (!Double.isFinite(sum)) {
                    throw new NonFiniteLossException(w.index(), sum, loss, "the window's NLL became non-finite");
                }
                WindowResult r = new WindowResult(w.index(), w.start(), w.end(), nll.length, sum, loss,
                        (t1 - t0) / 1e9, (t2 - t1) / 1e9, nll, trainer == null ? 0 : trainer.sampledTokens(),
                        adapter == null ? 0 : adapter.parameterCount());
                results.add(r);
                listener.accept(r);
                if (options.checkpointDir() != null && (results.size() % options.checkpointEvery() == 0
                        || results.size() == plan.size())) {
                    TrainingCheckpoint.save(options.checkpointDir(), options.fingerprint(), results.size(), results,
                            adapter, trainer == null ? null : trainer.optimizer());
                }
            }
            return new Run(List.copyOf(results), adapter);
        } catch (java.io.IOException e) {
            if (adapter != null) {
                adapter.close();
            }
            throw new java.io.UncheckedIOException("cannot write the checkpoint in " + options.checkpointDir(), e);
        } catch (RuntimeException e) {
            if (adapter != null) {
                adapter.close();
            }
            throw e;
        } finally {
            if (trainer != null) {
                trainer.close();
            }
        }
    }
}
