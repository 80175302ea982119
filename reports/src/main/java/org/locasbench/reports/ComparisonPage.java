package org.locasbench.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.locasbench.results.Metrics;
import org.locasbench.results.Metrics.Breakdowns;
import org.locasbench.results.Metrics.Experiments;
import org.locasbench.results.Metrics.LocomoCategories;
import org.locasbench.results.Metrics.Methods;
import org.locasbench.results.MmluCategories;
import org.locasbench.results.Result;
import org.locasbench.results.plot.BarPlot;
import org.locasbench.results.plot.CurvePlot;
import org.locasbench.results.plot.ResultPlots;

/**
 * A static HTML page (inline CSS and SVG, no scripts, opens from file://) that puts the methods of every experiment
 * side by side: the metric, its delta to the baseline method, parameters added, tokens/s; the paper's figures per
 * experiment (PG-19 cumulative PPL and its difference to no memory, the ablation's NLL per window on log-x, MMLU
 * accuracy per subject group and forgetting, LoCoMo F1 per category), the per-window curves as a secondary view; and
 * the trends of the headline metrics across commits from the metric history ({@link Trends}). Built from the typed
 * results alone ({@link Result}, schema 2). Where this JVM cannot draw ({@link CurvePlot#canDraw}), the charts are
 * left out with a note and every table is still there.
 */
public final class ComparisonPage {
    static final String NO_PLOT = "<p class=\"noplot\">(no plot: this host's Java cannot lay out text)</p>";

    /** The size of the paper's figures: two side by side in a 1280-pixel window. */
    static final int W = 580;
    static final int H = 370;

    private final StringBuilder h = new StringBuilder();
    private final boolean drawCharts;

    private ComparisonPage(boolean drawCharts) {
        this.drawCharts = drawCharts;
    }

    /** The page without trends. */
    public static String render(ResultSet results, List<BaselineGate.Row> gate, String commit, String generatedAt) {
        return render(results, gate, Trends.empty(), commit, generatedAt);
    }

    /** The page, with the trends section when the history has records (or an error to show). */
    public static String render(ResultSet results, List<BaselineGate.Row> gate, Trends trends, String commit,
            String generatedAt) {
        return render(results, gate, trends, commit, generatedAt, CurvePlot.canDraw());
    }

    /** {@code drawCharts} false: as on a host without usable fonts (tables only). */
    static String render(ResultSet results, List<BaselineGate.Row> gate, Trends trends, String commit,
            String generatedAt, boolean drawCharts) {
        return new ComparisonPage(drawCharts).page(results, gate, trends, commit, generatedAt);
    }

    private String page(ResultSet results, List<BaselineGate.Row> gate, Trends trends, String commit,
            String generatedAt) {
        h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Locas Bench comparison</title>")
                .append("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;")
                .append("margin:1em 0}th,td{border:1px solid #bbb;padding:4px 10px;text-align:right}")
                .append("th{background:#eef}td.l,th.l{text-align:left}.better{color:#1a7f37}.worse{color:#c62828}")
                .append("section{margin-bottom:3em}figure{margin:0}nav a{margin-right:1em}")
                .append(".figures{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}")
                .append("details.secondary{margin:.5em 0 1.5em}details.secondary summary{cursor:pointer;color:#555}")
                .append(".trend{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start;margin:0 0 1.5em}")
                .append("table.trend-table{font-size:12px;margin:0}table.trend-table td,table.trend-table th{padding:2px 6px}")
                .append("tr.last td{font-weight:bold}td.regressed{background:#fde0e0;color:#b71c1c;font-weight:bold}")
                .append("tr.regressed td:first-child::before{content:'\\25B2  ';color:#c62828}")
                .append("td.improved{color:#1a7f37}.note{color:#555;font-size:13px}.error{color:#c62828}")
                .append("</style></head><body>\n")
                .append("<h1>Locas Bench — method comparison</h1>\n<p>commit <code>").append(esc(commit))
                .append("</code>, generated ").append(esc(generatedAt)).append(". Deltas are against the baseline ")
                .append("method of each experiment (no memory / base model); green is better.</p>\n");
        nav(results, gate, trends);
        if (!gate.isEmpty()) {
            gateSection(gate);
        }
        pg19(results.of(Experiments.PG19));
        ablation(results.of(Experiments.ABLATION));
        mmlu(results.of(Experiments.MMLU));
        locomo(results.of(Experiments.LOCOMO));
        if (results.byExperiment().isEmpty()) {
            h.append("<p id=\"empty\">No results found.</p>");
        }
        if (!trends.records().isEmpty() || trends.error() != null) {
            TrendSection.render(h, trends, drawCharts);
        }
        return h.append("</body></html>\n").toString();
    }

    private void nav(ResultSet results, List<BaselineGate.Row> gate, Trends trends) {
        List<String[]> links = new ArrayList<>();
        if (!gate.isEmpty()) {
            links.add(new String[] {"gate", "baselines"});
        }
        for (String[] e : new String[][] {{Experiments.PG19, "PG-19"}, {Experiments.ABLATION, "ablation"},
                {Experiments.MMLU, "MMLU"}, {Experiments.LOCOMO, "LoCoMo"}}) {
            if (!results.of(e[0]).isEmpty()) {
                links.add(e);
            }
        }
        if (!trends.records().isEmpty() || trends.error() != null) {
            links.add(new String[] {"trends", "trends across commits"});
        }
        if (links.size() > 1) {
            h.append("<nav>");
            links.forEach(l -> h.append("<a href=\"#").append(l[0]).append("\">").append(esc(l[1])).append("</a>"));
            h.append("</nav>\n");
        }
    }

    private void figure(String cls, String svg) {
        h.append("<figure class=\"").append(cls).append("\">").append(svg != null ? svg : NO_PLOT).append("</figure>");
    }

    private String svg(CurvePlot plot, int width, int height) {
        return drawCharts && plot != null ? plot.toSvgElement(width, height) : null;
    }

    private String svg(BarPlot plot, int width, int height) {
        return drawCharts && plot != null ? plot.toSvgElement(width, height) : null;
    }

    private void pg19(List<Result> runs) {
        if (runs.isEmpty()) {
            return;
        }
        String title = "PG-19 whole-book perplexity";
        h.append("<section id=\"").append(Experiments.PG19).append("\"><h2>").append(esc(title)).append("</h2>\n");
        for (Map.Entry<String, List<Result>> unit : byUnit(runs).entrySet()) {
            List<Result> ordered = streamingTable(unit.getKey(), unit.getValue(), Methods.NONE);
            String book = "book " + unit.getKey();
            h.append("<div class=\"figures\">");
            figure("cumulative", svg(ResultPlots.cumulativePplCurves(book + ": cumulative PPL (dots: PPL@marks)",
                    ordered), W, H));
            CurvePlot diff = ResultPlots.cumulativePplDifference(book + ": cumulative PPL − none", ordered,
                    Methods.NONE);
            if (diff != null) {
                figure("difference", svg(diff, W, H));
            }
            h.append("</div>\n");
            secondaryWindowCurves(title + ", " + book, ordered);
        }
        h.append("</section>\n");
    }

    private void ablation(List<Result> runs) {
        if (runs.isEmpty()) {
            return;
        }
        String title = "Init-strategy ablation";
        h.append("<section id=\"").append(Experiments.ABLATION).append("\"><h2>").append(esc(title))
                .append("</h2>\n");
        for (Map.Entry<String, List<Result>> unit : byUnit(runs).entrySet()) {
            List<Result> ordered = streamingTable(unit.getKey(), unit.getValue(), null);
            Map<Integer, List<Result>> byWidth = new TreeMap<>();
            ordered.forEach(r -> byWidth.computeIfAbsent(r.method().width(), k -> new ArrayList<>()).add(r));
            h.append("<div class=\"figures\">");
            for (Map.Entry<Integer, List<Result>> w : byWidth.entrySet()) {
                // by init, or by the whole label where two runs share an init (fixed vs expandable to one width)
                boolean sharedInit = w.getValue().stream().map(r -> String.valueOf(r.method().init())).distinct()
                        .count() < w.getValue().size();
                figure("nll-by-window", svg(ResultPlots.nllByWindow("ablation, book " + unit.getKey() + ", width "
                        + w.getKey() + ": NLL per window by init", w.getValue(),
                        r -> r.method().init() != null && !sharedInit ? r.method().init() : r.method().label()), W, H));
            }
            h.append("</div>\n");
            secondaryWindowCurves(title + ", book " + unit.getKey(), ordered);
        }
        h.append("</section>\n");
    }

    /** The per-window NLL over tokens streamed, collapsed under the paper's figures. */
    private void secondaryWindowCurves(String title, List<Result> results) {
        h.append("<details class=\"secondary\"><summary>per-window NLL over tokens streamed</summary>")
                .append("<figure class=\"curves\">");
        String svg = svg(ResultPlots.windowCurves(title + ": NLL per window (before training)", results), 900, 420);
        h.append(svg != null ? svg : NO_PLOT).append("</figure></details>\n");
    }

    /** The table of one book; returns its results with the baseline method first. */
    private List<Result> streamingTable(String unit, List<Result> results, String baseline) {
        Result base = baseline == null ? results.get(0) : results.stream().filter(r ->
                r.method().id().equals(baseline)).findFirst().orElse(null);
        h.append("<h3>book ").append(esc(unit)).append("</h3>\n<table class=\"results\"><tr>")
                .append("<th class=\"l\">method</th><th>PPL</th><th>Δ PPL</th><th>Temp-Lora PPL</th>")
                .append("<th>NLL after 1 / 2 / 4 windows</th><th>params added</th><th>tokens/s</th>")
                .append("<th>wall × none</th></tr>\n");
        List<Result> ordered = new ArrayList<>(results);
        if (base != null) { // the baseline method first
            ordered.remove(base);
            ordered.add(0, base);
        }
        for (Result r : ordered) {
            double ppl = r.metricOr(Metrics.PPL, Double.NaN);
            h.append("<tr><td class=\"l\">").append(esc(r.method().label())).append("</td>")
                    .append(td(ppl, 3))
                    .append(delta(ppl, base == null ? Double.NaN : base.metricOr(Metrics.PPL, Double.NaN), true))
                    .append(td(r.metricOr(Metrics.TEMP_LORA_PPL, Double.NaN), 3))
                    .append("<td>").append(fmt(r, Metrics.NLL_AFTER_1_WINDOWS)).append(" / ")
                    .append(fmt(r, Metrics.NLL_AFTER_2_WINDOWS)).append(" / ")
                    .append(fmt(r, Metrics.NLL_AFTER_4_WINDOWS)).append("</td>")
                    .append("<td>").append(String.format("%,d (%.2f%%)", (long) r.metricOr(Metrics.PARAMS_ADDED, 0),
                            r.metricOr(Metrics.PARAMS_ADDED_PERCENT, Double.NaN))).append("</td>")
                    .append(td(r.metricOr(Metrics.TOKENS_PER_SECOND, Double.NaN), 0))
                    .append("<td>").append(r.metric(Metrics.WALL_RELATIVE_TO_NONE).isPresent()
                            ? String.format("%.2f", r.requireMetric(Metrics.WALL_RELATIVE_TO_NONE)) : "–")
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
        return ordered;
    }

    private void mmlu(List<Result> runs) {
        if (runs.isEmpty()) {
            return;
        }
        Result base = runs.stream().filter(r -> Methods.BASE_VARIANT.equals(r.method().variant())).findFirst()
                .orElse(null);
        h.append("<section id=\"mmlu\"><h2>MMLU by answer NLL — forgetting after memorizing a book</h2>\n")
                .append("<table class=\"results\"><tr><th class=\"l\">variant</th><th>macro accuracy</th>")
                .append("<th>Δ vs base</th><th>micro accuracy</th><th>questions</th><th>params added</th></tr>\n");
        for (Result r : runs) {
            double macro = r.metricOr(Metrics.MACRO_ACCURACY, Double.NaN);
            h.append("<tr><td class=\"l\">").append(esc(variant(r))).append("</td>")
                    .append(td(macro, 4))
                    .append(delta(macro, base == null ? Double.NaN : base.metricOr(Metrics.MACRO_ACCURACY,
                            Double.NaN), false))
                    .append(td(r.metricOr(Metrics.MICRO_ACCURACY, Double.NaN), 4)).append("<td>")
                    .append((long) r.metricOr(Metrics.QUESTIONS, 0)).append("</td><td>")
                    .append(String.format("%,d", (long) r.metricOr(Metrics.PARAMS_ADDED, 0))).append("</td></tr>\n");
        }
        h.append("</table>\n");
        // accuracy per subject group, as a table too (the charts may be missing)
        h.append("<table class=\"groups\"><tr><th class=\"l\">variant</th>");
        for (String g : MmluCategories.GROUPS) {
            h.append("<th>").append(esc(MmluCategories.label(g))).append("</th>");
        }
        h.append("<th>subjects outside MMLU's 57</th></tr>\n");
        for (Result r : runs) {
            Map<String, Double> groups = ResultPlots.groupAccuracy(r);
            h.append("<tr><td class=\"l\">").append(esc(variant(r))).append("</td>");
            for (String g : MmluCategories.GROUPS) {
                h.append(td(groups.getOrDefault(g, Double.NaN), 4));
            }
            long unknown = r.breakdown(Breakdowns.ACCURACY_BY_SUBJECT).keySet().stream()
                    .filter(sub -> MmluCategories.groupOf(sub) == null).count();
            h.append("<td>").append(unknown).append("</td></tr>\n");
        }
        h.append("</table>\n<div class=\"figures\">");
        figure("groups", svg(ResultPlots.groupAccuracyBars("MMLU accuracy per subject group", runs), W, H));
        BarPlot forgetting = ResultPlots.forgettingBars("Forgetting: macro accuracy − base", runs);
        if (forgetting != null) {
            figure("forgetting", svg(forgetting, W, H));
        }
        h.append("</div>\n<p class=\"note\">Subject groups: MMLU's standard categories (lm-eval; "
                + "results/src/main/resources/org/locasbench/results/mmlu-subject-categories.tsv), each group's "
                + "subjects weighted by their questions.</p></section>\n");
    }

    private void locomo(List<Result> runs) {
        if (runs.isEmpty()) {
            return;
        }
        h.append("<section id=\"locomo\"><h2>LoCoMo QA (token F1, LoCoMo's evaluation)</h2>\n")
                .append("<table class=\"results\"><tr><th class=\"l\">conversation</th><th class=\"l\">method</th>")
                .append("<th>overall</th><th>Δ vs none</th>");
        for (String c : LocomoCategories.NAMES) {
            h.append("<th>").append(c.replace('_', '-')).append("</th>");
        }
        h.append("<th>adversarial F1 (lower better)</th><th>params added</th></tr>\n");
        for (Map.Entry<String, List<Result>> unit : byUnit(runs).entrySet()) {
            Result none = unit.getValue().stream().filter(r -> r.method().id().equals(Methods.NONE)).findFirst()
                    .orElse(null);
            for (Result r : unit.getValue()) {
                double overall = r.metricOr(Metrics.OVERALL_F1, Double.NaN);
                Map<String, Double> f1 = r.breakdown(Breakdowns.F1_BY_CATEGORY);
                h.append("<tr><td class=\"l\">").append(esc(unit.getKey())).append("</td><td class=\"l\">")
                        .append(esc(r.method().label())).append("</td>")
                        .append(td(overall, 4))
                        .append(delta(overall, none == null ? Double.NaN : none.metricOr(Metrics.OVERALL_F1,
                                Double.NaN), false));
                for (String c : LocomoCategories.NAMES) {
                    h.append("<td>").append(fmt(f1.get(c))).append("</td>");
                }
                h.append(td(r.metricOr(Metrics.ADVERSARIAL_F1, Double.NaN), 4)).append("<td>")
                        .append(String.format("%,d", (long) r.metricOr(Metrics.PARAMS_ADDED, 0))).append("</td></tr>\n");
            }
        }
        h.append("</table>\n<div class=\"figures\">");
        int units = byUnit(runs).size();
        figure("categories", svg(ResultPlots.categoryF1Bars("LoCoMo F1 per category" + (units > 1 ? " over "
                + units + " conversations" : ""), runs), 900, 380));
        h.append("</div></section>\n");
    }

    private void gateSection(List<BaselineGate.Row> gate) {
        h.append("<section id=\"gate\"><h2>Against the accepted baselines</h2>\n<table class=\"gate\"><tr>")
                .append("<th class=\"l\">result</th><th class=\"l\">metric</th><th>baseline</th><th>current</th>")
                .append("<th>Δ</th><th class=\"l\">status</th></tr>\n");
        for (BaselineGate.Row r : gate) {
            String cls = switch (r.status()) {
                case REGRESSED, MISSING -> "worse";
                case IMPROVED -> "better";
                case OK -> "";
            };
            h.append("<tr><td class=\"l\">").append(esc(r.result())).append("</td><td class=\"l\">")
                    .append(esc(r.metric())).append("</td>").append(td(r.baseline(), 4)).append(td(r.current(), 4))
                    .append(td(r.delta(), 4)).append("<td class=\"l ").append(cls).append("\">").append(r.status())
                    .append("</td></tr>\n");
        }
        h.append("</table></section>\n");
    }

    private static String variant(Result r) {
        return r.method().variant() != null ? r.method().variant() : r.method().label();
    }

    private static Map<String, List<Result>> byUnit(List<Result> runs) {
        Map<String, List<Result>> out = new LinkedHashMap<>();
        for (Result r : runs) {
            out.computeIfAbsent(r.unit(), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    static String td(double v, int digits) {
        return "<td>" + (Double.isNaN(v) ? "–" : String.format("%,." + digits + "f", v)) + "</td>";
    }

    private static String delta(double v, double base, boolean lowerIsBetter) {
        if (Double.isNaN(base)) {
            return "<td>–</td>";
        }
        double d = v - base;
        String cls = d == 0 ? "" : (d < 0) == lowerIsBetter ? "better" : "worse";
        return "<td class=\"" + cls + "\">" + String.format("%+.4f", d) + "</td>";
    }

    private static String fmt(Result r, String metric) {
        return fmt(r.metric(metric).isPresent() ? r.requireMetric(metric) : null);
    }

    private static String fmt(Double v) {
        return v == null ? "–" : String.format("%.3f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
