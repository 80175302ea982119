package org.locasbench.harness.ttt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
        List<WindowResult> results = new ArrayList<>();
        TrainableAdapter adapter = null;
        TestTimeTrainer trainer = null;
        try {
            for (Window w : plan) {
                if (factory != null && adapter == null) {
                    adapter = factory.create(model, Arrays.copyOfRange(ids, w.contextStart(), w.end()));
                    trainer = new TestTimeTrainer(model, adapter, config);
                }
                long t0 = System.nanoTime();
                float[] nll = WindowScorer.score(model, adapter == null ? LayerAdapter.NONE : adapter, ids, w);
                long t1 = System.nanoTime();
                double loss = trainer == null ? Double.NaN : trainer.train(ids, w);
                long t2 = System.nanoTime();
                double sum = 0;
                for (float v : nll) {
                    sum += v;
                }
                WindowResult r = new WindowResult(w.index(), w.start(), w.end(), nll.length, sum, loss,
                        (t1 - t0) / 1e9, (t2 - t1) / 1e9);
                results.add(r);
                listener.accept(r);
            }
            return new Run(List.copyOf(results), adapter);
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
