package org.locasbench.harness.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locasbench.harness.cli.Defaults;
import org.locasbench.harness.console.ProgressBar;
import org.locasbench.harness.data.Pg19Book;
import org.locasbench.harness.data.Pg19Library;
import org.locasbench.harness.protocol.WindowPlan;
import org.locasbench.harness.ttt.StreamingProtocol;
import org.locasbench.harness.ttt.WindowResult;
import org.locasbench.locas.InitStrategy;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.TrainableAdapter;

/**
 * PG-19 whole-book perplexity and the init-strategy ablation, read top to bottom:
 * data (books from a manifest) -> windows (window / context) -> evaluate (score each window with the current memory)
 * -> train (then train the memory on it) -> metrics (book PPL, PPL at cumulative marks, Temp-Lora's token-weighted
 * window PPL, parameters added, wall time, FLOPs estimate, and for the ablation NLL after 1, 2, 4 windows).
 * Books are work units spread over the configured devices; every method of a book runs on the same worker.
 */
public final class StreamingExperiment {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StreamingExperiment() {}

    /** The method setups a config asks for: its methods (pg19), or every init x width of Locas (ablation). */
    public static List<MethodSetup> setups(ExperimentConfig c) {
        List<MethodSetup> setups = new ArrayList<>();
        if (c.experiment().equals("ablation")) {
            for (int width : c.widths()) {
                for (String init : c.inits()) {
                    setups.add(MethodSetup.of(c, Method.LOCAS, InitStrategy.parse(init), width));
                }
            }
        } else {
            c.methodList().forEach(m -> setups.add(MethodSetup.of(c, m)));
        }
        return setups;
    }

    public static ExperimentReport run(ExperimentConfig c, Shard shard) throws Exception {
        Path manifest = c.pg19Manifest() != null ? Path.of(c.pg19Manifest()) : Defaults.pg19Manifest();
        Pg19Library library = Pg19Library.load(manifest);
        List<Pg19Book> books = shard.select(c.books().stream().map(library::book).toList());
        Path modelDir = ModelSession.resolveModel(c);
        List<MethodSetup> setups = setups(c);
        List<List<ObjectNode>> perBook = DevicePool.run(books, c.devices(),
                device -> ModelSession.open(modelDir, c, device),
                (book, session, device) -> runBook(c, book, session, setups));
        List<ObjectNode> results = perBook.stream().flatMap(List::stream).toList();
        Map<String, String> plots = new LinkedHashMap<>();
        for (Pg19Book book : books) {
            plots.put(c.experiment() + "-" + book.id() + "-curves", plot(c, book.id(), results));
        }
        return new ExperimentReport(c.experiment(), results, plots, SummaryTable.streaming(results));
    }

    public static List<ObjectNode> runBook(ExperimentConfig c, Pg19Book book, ModelSession session, List<MethodSetup> setups) {
        long[] ids = session.tokenizer().encode(Pg19Library.text(book));
        if (c.maxTokens() != null && ids.length > c.maxTokens()) {
            ids = Arrays.copyOf(ids, c.maxTokens());
        }
        Qwen3Model model = session.model();
        List<ObjectNode> out = new ArrayList<>();
        Double noneSeconds = null;
        for (MethodSetup setup : setups) {
            var plan = WindowPlan.of(ids.length, c.window(), setup.context());
            ProgressBar bar = new ProgressBar(System.err, book.id() + " " + setup.label(), plan.size(), ids.length);
            long t0 = System.nanoTime();
            String runName = c.experiment() + "-" + book.id() + "-" + setup.label().replaceAll("[^A-Za-z0-9_.-]+", "-");
            String fingerprint = runName + "|" + setup.training() + "|" + c.window() + "/" + setup.context() + "|"
                    + c.seed() + "|" + ids.length + ":" + Arrays.hashCode(ids) + "|"
                    + org.locasbench.model.ModelFingerprint.of(model.directory());
            StreamingProtocol.Run run = StreamingProtocol.run(model, ids, plan, setup.factory(), setup.training(),
                    c.runOptions(runName, fingerprint), r -> bar.step(r.end() - r.start()));
            double seconds = (System.nanoTime() - t0) / 1e9;
            long added;
            try (TrainableAdapter adapter = run.adapter()) {
                added = adapter == null ? 0 : adapter.parameterCount();
            }
            if (setup.method() == Method.NONE) {
                noneSeconds = seconds;
            }
            out.add(record(c, book, session, setup, run.windows(), added, seconds, ids.length));
        }
        if (noneSeconds != null) {
            for (ObjectNode r : out) {
                ((ObjectNode) r.get("metrics")).put("wall_relative_to_none",
                        r.get("metrics").get("wall_seconds").asDouble() / noneSeconds);
            }
        }
        return out;
    }

    static ObjectNode record(ExperimentConfig c, Pg19Book book, ModelSession session, MethodSetup setup,
            List<WindowResult> windows, long added, double seconds, int tokens) {
        Qwen3Model model = session.model();
        ObjectNode r = JSON.createObjectNode();
        r.put("schema_version", ResultsWriter.SCHEMA_VERSION).put("experiment", c.experiment())
                .put("name", c.experiment() + "-" + book.id() + "-" + setup.label().replaceAll("[^A-Za-z0-9_.-]+", "-")
                        .replaceAll("-+$", ""))
                .put("unit", book.id());
        ObjectNode params = r.putObject("parameters");
        params.put("method", setup.method().id()).put("init", setup.method() == Method.LOCAS ? setup.init().id() : null)
                .put("width", setup.method().trains() ? setup.width() : 0).put("model", model.directory().toString())
                .put("book", book.id()).put("label", setup.label());
        r.set("config", JSON.valueToTree(c));
        r.set("environment", RunEnvironment.describe(session.device()));
        ObjectNode m = r.putObject("metrics");
        double ppl = StreamMetrics.perplexity(windows);
        m.put("ppl", ppl).put("mean_nll", Math.log(ppl))
                .put("temp_lora_ppl", StreamMetrics.tokenWeightedWindowPerplexity(windows))
                .put("params_added", added).put("params_added_percent", 100.0 * added / model.parameterCount())
                .put("wall_seconds", seconds).put("tokens_per_second", tokens / seconds)
                .put("tokens", tokens).put("windows", windows.size());
        List<Integer> marks = c.marks() != null ? c.marks() : StreamMetrics.quarterMarks(windows);
        ObjectNode at = m.putObject("ppl_at");
        StreamMetrics.perplexityAt(windows, marks).forEach((k, v) -> at.put(String.valueOf(k), v));
        var cfg = model.config();
        long embedding = (long) cfg.vocabSize() * cfg.hiddenSize();
        m.put("flops_estimate", StreamMetrics.flops(model.parameterCount() - embedding, cfg.numHiddenLayers(),
                cfg.numAttentionHeads() * cfg.headDim(), windows, setup.context(), setup.method().trains(),
                c.stepsPerWindow()));
        for (int k : new int[] {1, 2, 4}) {
            if (windows.size() > k) {
                m.put("nll_after_" + k + "_windows", windows.get(k).meanNll());
            }
        }
        ObjectNode series = r.putObject("series");
        ArrayNode end = series.putArray("window_end");
        ArrayNode nll = series.putArray("window_nll");
        ArrayNode loss = series.putArray("train_loss");
        for (WindowResult w : windows) {
            end.add(w.end());
            nll.add(w.meanNll());
            if (Double.isFinite(w.trainLoss())) {
                loss.add(w.trainLoss());
            } else {
                loss.addNull();
            }
        }
        return r;
    }

    /** Per-window NLL of every method of a book, overlaid. */
    public static String plot(ExperimentConfig c, String book, List<ObjectNode> results) {
        CurvePlot plot = new CurvePlot(c.experiment() + ": PG-19 " + book + ", NLL per window (scored before training)",
                "tokens streamed", "mean NLL of the window (nats)");
        for (ObjectNode r : results) {
            if (r.get("unit").asText().equals(book)) {
                addWindowCurve(plot, r);
            }
        }
        return plot.toSvg(900, 500);
    }

    /** Adds a result's per-window NLL (x: tokens streamed) as a line labelled with its method. */
    public static CurvePlot addWindowCurve(CurvePlot plot, JsonNode result) {
        JsonNode s = result.get("series");
        double[] x = new double[s.get("window_end").size()];
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = s.get("window_end").get(i).asDouble();
            y[i] = s.get("window_nll").get(i).asDouble();
        }
        return plot.add(result.get("parameters").get("label").asText(), x, y);
    }
}
