package org.locasbench.reports;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.locasbench.harness.experiment.CurvePlot;
import org.locasbench.harness.experiment.StreamingExperiment;

/**
 * A static HTML page (inline CSS and SVG, no scripts, opens from file://) that puts the methods of every experiment
 * side by side: the metric, its delta to the baseline method, parameters added, tokens/s, and per-window curves
 * overlaid. Built from the results JSON files alone.
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
        streaming(h, "pg19", "PG-19 whole-book perplexity", results.of("pg19"), "none");
        streaming(h, "ablation", "Init-strategy ablation", results.of("ablation"), null);
        mmlu(h, results.of("mmlu"));
        locomo(h, results.of("locomo"));
        if (results.byExperiment().isEmpty()) {
            h.append("<p id=\"empty\">No results found.</p>");
        }
        return h.append("</body></html>\n").toString();
    }

    private static void streaming(StringBuilder h, String id, String title, List<JsonNode> runs, String baseline) {
        if (runs.isEmpty()) {
            return;
        }
        h.append("<section id=\"").append(id).append("\"><h2>").append(esc(title)).append("</h2>\n");
        for (Map.Entry<String, List<JsonNode>> unit : byUnit(runs).entrySet()) {
            JsonNode base = baseline == null ? unit.getValue().get(0) : unit.getValue().stream().filter(r ->
                    r.get("parameters").get("method").asText().equals(baseline)).findFirst().orElse(null);
            h.append("<h3>book ").append(esc(unit.getKey())).append("</h3>\n<table class=\"results\"><tr>")
                    .append("<th class=\"l\">method</th><th>PPL</th><th>Δ PPL</th><th>Temp-Lora PPL</th>")
                    .append("<th>NLL after 1 / 2 / 4 windows</th><th>params added</th><th>tokens/s</th>")
                    .append("<th>wall × none</th></tr>\n");
            List<JsonNode> ordered = new ArrayList<>(unit.getValue());
            if (base != null) { // the baseline method first
                ordered.remove(base);
                ordered.add(0, base);
            }
            for (JsonNode r : ordered) {
                JsonNode m = r.get("metrics");
                h.append("<tr><td class=\"l\">").append(esc(r.get("parameters").get("label").asText())).append("</td>")
                        .append(td(m.get("ppl").asDouble(), 3))
                        .append(delta(m.get("ppl").asDouble(), base == null ? Double.NaN
                                : base.get("metrics").get("ppl").asDouble(), true))
                        .append(td(m.get("temp_lora_ppl").asDouble(), 3))
                        .append("<td>").append(fmt(m.path("nll_after_1_windows"))).append(" / ")
                        .append(fmt(m.path("nll_after_2_windows"))).append(" / ")
                        .append(fmt(m.path("nll_after_4_windows"))).append("</td>")
                        .append("<td>").append(String.format("%,d (%.2f%%)", m.get("params_added").asLong(),
                                m.get("params_added_percent").asDouble())).append("</td>")
                        .append(td(m.get("tokens_per_second").asDouble(), 0))
                        .append("<td>").append(m.has("wall_relative_to_none") ? String.format("%.2f",
                                m.get("wall_relative_to_none").asDouble()) : "–").append("</td></tr>\n");
            }
            h.append("</table>\n<figure class=\"curves\">");
            CurvePlot plot = new CurvePlot(title + ", book " + unit.getKey() + ": NLL per window (before training)",
                    "tokens streamed", "mean NLL of the window (nats)");
            for (JsonNode r : unit.getValue()) {
                StreamingExperiment.addWindowCurve(plot, r);
            }
            String svg = plot.toSvgElement(900, 420);
            h.append(svg != null ? svg : "<p>(no plot: this host's Java cannot lay out text)</p>");
            h.append("</figure>\n");
        }
        h.append("</section>\n");
    }

    private static void mmlu(StringBuilder h, List<JsonNode> runs) {
        if (runs.isEmpty()) {
            return;
        }
        JsonNode base = runs.stream().filter(r -> r.get("parameters").get("variant").asText().equals("base"))
                .findFirst().orElse(null);
        h.append("<section id=\"mmlu\"><h2>MMLU by answer NLL — forgetting after memorizing a book</h2>\n")
                .append("<table class=\"results\"><tr><th class=\"l\">variant</th><th>macro accuracy</th>")
                .append("<th>Δ vs base</th><th>micro accuracy</th><th>questions</th><th>params added</th></tr>\n");
        for (JsonNode r : runs) {
            JsonNode m = r.get("metrics");
            h.append("<tr><td class=\"l\">").append(esc(r.get("parameters").get("variant").asText())).append("</td>")
                    .append(td(m.get("macro_accuracy").asDouble(), 4))
                    .append(delta(m.get("macro_accuracy").asDouble(), base == null ? Double.NaN
                            : base.get("metrics").get("macro_accuracy").asDouble(), false))
                    .append(td(m.get("micro_accuracy").asDouble(), 4)).append("<td>")
                    .append(m.get("questions").asInt()).append("</td><td>")
                    .append(String.format("%,d", m.get("params_added").asLong())).append("</td></tr>\n");
        }
        h.append("</table></section>\n");
    }

    private static void locomo(StringBuilder h, List<JsonNode> runs) {
        if (runs.isEmpty()) {
            return;
        }
        String[] cats = {"multi_hop", "temporal", "open_domain", "single_hop", "adversarial"};
        h.append("<section id=\"locomo\"><h2>LoCoMo QA (token F1, LoCoMo's evaluation)</h2>\n")
                .append("<table class=\"results\"><tr><th class=\"l\">conversation</th><th class=\"l\">method</th>")
                .append("<th>overall</th><th>Δ vs none</th>");
        for (String c : cats) {
            h.append("<th>").append(c.replace('_', '-')).append("</th>");
        }
        h.append("<th>adversarial F1 (lower better)</th><th>params added</th></tr>\n");
        for (Map.Entry<String, List<JsonNode>> unit : byUnit(runs).entrySet()) {
            JsonNode none = unit.getValue().stream().filter(r -> r.get("parameters").get("method").asText()
                    .equals("none")).findFirst().orElse(null);
            for (JsonNode r : unit.getValue()) {
                JsonNode m = r.get("metrics");
                h.append("<tr><td class=\"l\">").append(esc(unit.getKey())).append("</td><td class=\"l\">")
                        .append(esc(r.get("parameters").get("label").asText())).append("</td>")
                        .append(td(m.get("overall_f1").asDouble(), 4))
                        .append(delta(m.get("overall_f1").asDouble(), none == null ? Double.NaN
                                : none.get("metrics").get("overall_f1").asDouble(), false));
                for (String c : cats) {
                    h.append("<td>").append(fmt(m.get("f1_by_category").path(c))).append("</td>");
                }
                h.append(td(m.get("adversarial_f1").asDouble(), 4)).append("<td>")
                        .append(String.format("%,d", m.get("params_added").asLong())).append("</td></tr>\n");
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

    private static Map<String, List<JsonNode>> byUnit(List<JsonNode> runs) {
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        for (JsonNode r : runs) {
            out.computeIfAbsent(r.get("unit").asText(), k -> new ArrayList<>()).add(r);
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

    private static String fmt(JsonNode n) {
        return n == null || !n.isNumber() ? "–" : String.format("%.3f", n.asDouble());
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

}
