package org.locasbench.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locasbench.results.Metrics;
import org.locasbench.results.Metrics.Breakdowns;
import org.locasbench.results.Metrics.Experiments;
import org.locasbench.results.Metrics.LocomoCategories;
import org.locasbench.results.Metrics.Methods;
import org.locasbench.results.Result;
import org.locasbench.results.plot.ResultPlots;

/**
 * A static HTML page (inline CSS and SVG, no scripts, opens from file://) that puts the methods of every experiment
 * side by side: the metric, its delta to the baseline method, parameters added, tokens/s, and per-window curves
 * overlaid. Built from the typed results alone ({@link Result}, schema 2).
 */
public final class ComparisonPage {
    private ComparisonPage() {}

    public static String render(ResultSet results, List<BaselineGate.Row> gate, String commit, String generatedAt) {
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Locas Bench comparison</title>")
                .append("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;")
                .append("margin:1em 0}th,td{border:1px solid #bbb;padding:4px 10px;text-align:right}")
                .append("th{background:#eef}td.l,th.l{text-align:left}.better{color:#1a7f37}.worse{color:#c62828}")
                .append("section{margin-bottom:3em}figure{margin:0}</style></head><body>\n")
                .append("<h1>Locas Bench — method comparison</h1>\n<p>commit <code>").append(esc(commit))
                .append("</code>, generated ").append(esc(generatedAt)).append(". Deltas are against the baseline ")
                .append("method of each experiment (no memory / base model); green is better.</p>\n");
        if (!gate.isEmpty()) {
            gateSection(h, gate);
        }
        streaming(h, Experiments.PG19, "PG-19 whole-book perplexity", results.of(Experiments.PG19), Methods.NONE);
        streaming(h, Experiments.ABLATION, "Init-strategy ablation", results.of(Experiments.ABLATION), null);
        mmlu(h, results.of(Experiments.MMLU));
        locomo(h, results.of(Experiments.LOCOMO));
        if (results.byExperiment().isEmpty()) {
            h.append("<p id=\"empty\">No results found.</p>");
        }
        return h.append("</body></html>\n").toString();
    }

    private static void streaming(StringBuilder h, String id, String title, List<Result> runs, String baseline) {
        if (runs.isEmpty()) {
            return;
        }
        h.append("<section id=\"").append(id).append("\"><h2>").append(esc(title)).append("</h2>\n");
        for (Map.Entry<String, List<Result>> unit : byUnit(runs).entrySet()) {
            Result base = baseline == null ? unit.getValue().get(0) : unit.getValue().stream().filter(r ->
                    r.method().id().equals(baseline)).findFirst().orElse(null);
            h.append("<h3>book ").append(esc(unit.getKey())).append("</h3>\n<table class=\"results\"><tr>")
                    .append("<th class=\"l\">method</th><th>PPL</th><th>Δ PPL</th><th>Temp-Lora PPL</th>")
                    .append("<th>NLL after 1 / 2 / 4 windows</th><th>params added</th><th>tokens/s</th>")
                    .append("<th>wall × none</th></tr>\n");
            List<Result> ordered = new ArrayList<>(unit.getValue());
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
            h.append("</table>\n<figure class=\"curves\">");
            String svg = ResultPlots.windowCurves(title + ", book " + unit.getKey()
                    + ": NLL per window (before training)", unit.getValue()).toSvgElement(900, 420);
            h.append(svg != null ? svg : "<p>(no plot: this host's Java cannot lay out text)</p>");
            h.append("</figure>\n");
        }
        h.append("</section>\n");
    }

    private static void mmlu(StringBuilder h, List<Result> runs) {
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
            h.append("<tr><td class=\"l\">").append(esc(r.method().variant() != null ? r.method().variant()
                            : r.method().label())).append("</td>")
                    .append(td(macro, 4))
                    .append(delta(macro, base == null ? Double.NaN : base.metricOr(Metrics.MACRO_ACCURACY,
                            Double.NaN), false))
                    .append(td(r.metricOr(Metrics.MICRO_ACCURACY, Double.NaN), 4)).append("<td>")
                    .append((long) r.metricOr(Metrics.QUESTIONS, 0)).append("</td><td>")
                    .append(String.format("%,d", (long) r.metricOr(Metrics.PARAMS_ADDED, 0))).append("</td></tr>\n");
        }
        h.append("</table></section>\n");
    }

    private static void locomo(StringBuilder h, List<Result> runs) {
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
        h.append("</table></section>\n");
    }

    private static void gateSection(StringBuilder h, List<BaselineGate.Row> gate) {
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

    private static Map<String, List<Result>> byUnit(List<Result> runs) {
        Map<String, List<Result>> out = new LinkedHashMap<>();
        for (Result r : runs) {
            out.computeIfAbsent(r.unit(), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    private static String td(double v, int digits) {
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
