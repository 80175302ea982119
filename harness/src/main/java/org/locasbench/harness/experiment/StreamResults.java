package org.locasbench.harness.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locasbench.harness.data.Pg19Book;
import org.locasbench.harness.data.Pg19Library;
import org.locasbench.harness.method.MethodSetup;
import org.locasbench.harness.protocol.WindowPlan;
import org.locasbench.harness.ttt.RunOptions;
import org.locasbench.harness.ttt.StreamingProtocol;
import org.locasbench.harness.ttt.WindowResult;
import org.locasbench.harness.config.CommonConfig;
import org.locasbench.harness.config.Method;
import org.locasbench.harness.config.Pg19Settings;
import org.locasbench.harness.console.ProgressBar;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.TrainableAdapter;
import org.locasbench.results.Metrics;
import org.locasbench.results.MethodInfo;
import org.locasbench.results.Result;
import org.locasbench.results.plot.ResultPlots;

/**
 * One book streamed through the score-then-train protocol for one method, as a result: book PPL, PPL at cumulative
 * marks, Temp-Lora's token-weighted window PPL, parameters added, wall time, a FLOPs estimate, NLL after 1, 2, 4
 * windows, and the per-window series. Shared by the PG-19 experiment and the init-strategy ablation.
 */
final class StreamResults {
    private StreamResults() {}

    /** The books of the section's manifest. */
    static List<Pg19Book> books(Pg19Settings pg19) {
        Pg19Library library = Pg19Library.load(pg19.manifest() != null ? java.nio.file.Path.of(pg19.manifest())
                : org.locasbench.harness.config.DataPaths.pg19Manifest());
        return pg19.books().stream().map(library::book).toList();
    }

    /** The book's tokens (the first {@code maxTokens} when set). */
    static long[] tokens(Pg19Book book, ModelSession session, Pg19Settings pg19) {
        long[] ids = session.tokenizer().encode(Pg19Library.text(book));
        Long recorded = book.tokens().isEmpty() ? null : book.tokensFor(session.tokenizer().sha256());
        if (recorded != null && recorded != ids.length) {
            throw new org.locasbench.model.ModelFormatException(book.file(), "book " + book.id() + " has " + ids.length
                    + " tokens with " + session.tokenizer().file() + " but its manifest records " + recorded
                    + " for that tokenizer; the text or the tokenizer differ from the ones the manifest was made with "
                    + "(restore them, or correct the manifest's 'tokens')");
        }
        return pg19.maxTokens() != null && ids.length > pg19.maxTokens() ? java.util.Arrays.copyOf(ids,
                pg19.maxTokens()) : ids;
    }

    static Result stream(String experiment, CommonConfig c, Pg19Settings pg19, ObjectNode config, Pg19Book book,
            MethodSetup setup, ModelSession session) {
        long[] ids = tokens(book, session, pg19);
        Qwen3Model model = session.model();
        var plan = WindowPlan.of(ids.length, c.window().size(), setup.context());
        if (setup.growth() != null && setup.growth().windowsToReachMaxWidth() > plan.size()) {
            System.err.println("warning: book " + book.id() + " " + setup.label() + ": " + plan.size() + " windows are "
                    + "too few for the memory to grow to " + setup.growth().maxWidth() + " rows (it needs "
                    + setup.growth().windowsToReachMaxWidth() + "); the parameters series shows the width it reaches");
        }
        String name = Result.nameOf(experiment, book.id(), setup.label());
        RunOptions options = setup.runOptions(c, name, ids, model.directory());
        // every shape of this plan warm before the timed run (once per session): every method is timed warm, alike
        double warmUp = session.warmUp(ids, plan, setup.factory() != null, MethodSetup.of(c, Method.LOCAS).training());
        ProgressBar bar = new ProgressBar(System.err, book.id() + " " + setup.label(), plan.size(), ids.length);
        long t0 = System.nanoTime();
        StreamingProtocol.Run run = StreamingProtocol.run(model, ids, plan, setup.factory(), setup.training(), options,
                setup.growth(),
                w -> bar.step(w.end() - w.start()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        long added;
        try (TrainableAdapter adapter = run.adapter()) {
            added = adapter == null ? 0 : adapter.parameterCount();
        }
        return record(experiment, name, c, pg19, config, book, session, setup, run.windows(), added, seconds,
                ids.length).withMetric(Metrics.WARMUP_SECONDS, warmUp);
    }

    private static double medianWindowSeconds(List<WindowResult> windows) {
        double[] s = windows.stream().mapToDouble(w -> w.scoreSeconds() + w.trainSeconds()).sorted().toArray();
        if (s.length == 0) {
            throw new IllegalStateException("a run without windows has no window time");
        }
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static Result record(String experiment, String name, CommonConfig c, Pg19Settings pg19, ObjectNode config,
            Pg19Book book, ModelSession session, MethodSetup setup, List<WindowResult> windows, long added,
            double seconds, int tokens) {
        Qwen3Model model = session.model();
        MethodInfo method = MethodInfo.of(setup.method().id(), setup.label(), setup.width(),
                model.directory().toString());
        if (setup.method() == Method.LOCAS) {
            method = method.withInit(setup.init().id());
        }
        double ppl = StreamMetrics.perplexity(windows);
        Result.Builder b = Result.builder(experiment, name, book.id()).method(method)
                .metric(Metrics.PPL, ppl).metric(Metrics.MEAN_NLL, Math.log(ppl))
                .metric(Metrics.TEMP_LORA_PPL, StreamMetrics.tokenWeightedWindowPerplexity(windows))
                .metric(Metrics.PARAMS_ADDED, added)
                .metric(Metrics.PARAMS_ADDED_PERCENT, 100.0 * added / model.parameterCount())
                .metric(Metrics.WALL_SECONDS, seconds).metric(Metrics.TOKENS_PER_SECOND, tokens / seconds)
                .metric(Metrics.MEDIAN_WINDOW_SECONDS, medianWindowSeconds(windows))
                .metric(Metrics.TOKENS, tokens).metric(Metrics.WINDOWS, windows.size())
                .metric(Metrics.TRAIN_SECONDS_PER_WINDOW, windows.stream().mapToDouble(WindowResult::trainSeconds)
                        .sum() / windows.size())
                .metric(Metrics.TOKENS_SAMPLED, windows.stream().mapToLong(WindowResult::sampledTokens).sum());
        var cfg = model.config();
        long embedding = (long) cfg.vocabSize() * cfg.hiddenSize();
        if (setup.training() == null || setup.training().loss() != org.locasbench.harness.ttt.LossKind.GRPO) {
            // the estimate models score + NTP-style steps; GRPO's sampling and group passes are not in it
            b.metric(Metrics.FLOPS_ESTIMATE, StreamMetrics.flops(model.parameterCount() - embedding,
                    cfg.numHiddenLayers(), cfg.numAttentionHeads() * cfg.headDim(), windows, setup.context(),
                    setup.method().trains(), setup.training() == null ? 0 : setup.training().stepsPerWindow()));
        }
        Map<Integer, String> after = Map.of(1, Metrics.NLL_AFTER_1_WINDOWS, 2, Metrics.NLL_AFTER_2_WINDOWS,
                4, Metrics.NLL_AFTER_4_WINDOWS);
        for (int k : new int[] {1, 2, 4}) {
            if (windows.size() > k) {
                b.metric(after.get(k), windows.get(k).meanNll());
            }
        }
        List<Integer> marks = pg19.marks() != null ? pg19.marks() : StreamMetrics.quarterMarks(windows);
        StreamMetrics.perplexityAt(windows, marks).forEach((mark, v) -> b.breakdown(Metrics.Breakdowns.PPL_AT,
                String.valueOf(mark), v));
        int streamed = windows.get(windows.size() - 1).end();
        for (int mark : StreamMetrics.absentMarks(windows, marks)) {
            b.breakdown(Metrics.Breakdowns.PPL_AT_ABSENT, String.valueOf(mark), streamed);
            System.err.println("warning: book " + book.id() + " " + setup.label() + ": PPL@" + mark + " is absent: the stream has "
                    + streamed + " tokens (choose books that reach the mark: the manifest's token counts)");
        }
        List<Double> end = new ArrayList<>();
        List<Double> nll = new ArrayList<>();
        List<Double> loss = new ArrayList<>();
        List<Double> parameters = new ArrayList<>();
        for (WindowResult w : windows) {
            parameters.add((double) w.parameters());
            end.add((double) w.end());
            nll.add(w.meanNll());
            loss.add(Double.isFinite(w.trainLoss()) ? w.trainLoss() : null);
        }
        return b.series(Metrics.Series.WINDOW_END, end).series(Metrics.Series.WINDOW_NLL, nll)
                .series(Metrics.Series.TRAIN_LOSS, loss).series(Metrics.Series.PARAMETERS, parameters).environment(RunEnvironment.capture(session.device()))
                .config(config).build();
    }

    /** Each result's wall time over that of the {@code none} method on the same unit, when it ran. */
    static List<Result> relativeToNone(List<Result> results) {
        Map<String, Double> none = new LinkedHashMap<>();
        for (Result r : results) {
            if (r.method().id().equals(Metrics.Methods.NONE)) {
                none.put(r.unit(), r.requireMetric(Metrics.WALL_SECONDS));
            }
        }
        return results.stream().map(r -> none.containsKey(r.unit()) ? r.withMetric(Metrics.WALL_RELATIVE_TO_NONE,
                r.requireMetric(Metrics.WALL_SECONDS) / none.get(r.unit())) : r).toList();
    }

    /** Per book: every method's per-window NLL, overlaid. */
    static Map<String, String> plots(String experiment, List<Result> results) {
        Map<String, String> plots = new LinkedHashMap<>();
        results.stream().map(Result::unit).distinct().forEach(book -> plots.put(experiment + "-" + book + "-curves",
                ResultPlots.windowCurves(experiment + ": PG-19 " + book + ", NLL per window (scored before training)",
                        results.stream().filter(r -> r.unit().equals(book)).toList()).toSvg(900, 500)));
        return plots;
    }
}
