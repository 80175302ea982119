package org.locasbench.reports;

import static org.locasbench.reports.ComparisonPage.esc;

import java.util.List;
import java.util.Map;
import org.locasbench.results.Metrics.Experiments;

/**
 * The comparison page's "trends across commits" section: per experiment and unit, one chart per headline metric
 * ({@link TrendChart}) with, beside it, a table of the last {@link Trends#tableCommits()} commits' values (one column
 * per series; a value beyond its baseline's tolerance is a {@code td.regressed}, its row a {@code tr.regressed}; the
 * last run's row is {@code tr.last}).
 */
final class TrendSection {
    private TrendSection() {}

    static void render(StringBuilder h, Trends trends, boolean drawCharts) {
        h.append("<section id=\"trends\"><h2>Trends across commits</h2>\n");
        if (trends.error() != null) {
            h.append("<p class=\"error\" id=\"history-error\">The metric history could not be read: ")
                    .append(esc(trends.error())).append("</p></section>\n");
            return;
        }
        List<Trends.Chart> charts = trends.charts();
        h.append("<p class=\"note\">").append(trends.records().size()).append(" records over ")
                .append(trends.commitCount()).append(" commits in <code>")
                .append(esc(trends.source() == null ? "the metric history" : trends.source()))
                .append("</code>. One line per method, machine and config hash (runs on another machine or with "
                        + "another config are separate series); x: commits in order of first appearance (the "
                        + "latest run of a series at a commit). ")
                .append(esc(String.join("; ", TrendChart.legendNote()))).append(".</p>\n");
        String group = null;
        for (Trends.Chart c : charts) {
            String g = c.experiment() + "\u0000" + c.unit();
            if (!g.equals(group)) {
                group = g;
                h.append("<h3>").append(esc(experimentTitle(c.experiment()))).append(" — ")
                        .append(esc(unitTitle(c.experiment(), c.unit()))).append("</h3>\n");
            }
            String title = c.experiment() + " " + c.unit() + ": " + c.metric();
            h.append("<div class=\"trend\" id=\"").append(c.id()).append("\" data-metric=\"").append(esc(c.metric()))
                    .append("\"><figure>");
            String svg = drawCharts ? TrendChart.svg(c, title, 560, 330) : null;
            h.append(svg != null ? svg : ComparisonPage.NO_PLOT).append("</figure>\n");
            table(h, c, trends.tableCommits());
            h.append("</div>\n");
        }
        h.append("</section>\n");
    }

    private static void table(StringBuilder h, Trends.Chart c, int n) {
        h.append("<table class=\"trend-table\"><caption>").append(esc(c.metric())).append(", last ")
                .append(Math.min(n, c.commits().size())).append(" commits")
                .append(c.common().isEmpty() ? "" : " (" + esc(c.common()) + ")")
                .append("</caption>\n<tr><th class=\"l\">commit</th>")
                .append("<th class=\"l\">date</th>");
        for (Trends.Series s : c.series()) {
            h.append("<th>").append(esc(s.label())).append("</th>");
        }
        String better = c.baselines().values().stream().map(Baselines.Spec::better).distinct()
                .reduce((a, b) -> a + " / " + b).orElse(null);
        h.append("</tr>\n<tr class=\"baseline\"><td class=\"l\" colspan=\"2\">baseline")
                .append(better == null ? "" : " (" + esc(better) + " is better)").append("</td>");
        for (Trends.Series s : c.series()) {
            Baselines.Spec spec = c.baselines().get(s.result());
            h.append("<td>").append(spec == null ? "–" : value(c.metric(), spec.value()) + " "
                    + spec.toleranceText()).append("</td>");
        }
        h.append("</tr>\n");
        for (int x = c.last(); x >= Math.max(0, c.commits().size() - n); x--) {
            Trends.Commit commit = c.commits().get(x);
            final int at = x;
            boolean regressed = c.series().stream().anyMatch(s -> s.points().containsKey(at)
                    && s.points().get(at).regressed());
            String cls = (regressed ? "regressed" : "") + (x == c.last() ? (regressed ? " " : "") + "last" : "");
            h.append("<tr").append(cls.isEmpty() ? "" : " class=\"" + cls + "\"").append(" data-commit=\"")
                    .append(esc(commit.shortHash())).append("\"><td class=\"l\"><code>").append(esc(commit.shortHash()))
                    .append("</code></td><td class=\"l\">").append(esc(Trends.day(commit.date()))).append("</td>");
            for (Trends.Series s : c.series()) {
                Trends.Point p = s.points().get(x);
                if (p == null) {
                    h.append("<td>–</td>");
                    continue;
                }
                String pc = switch (p.status()) {
                    case REGRESSED -> " class=\"regressed\"";
                    case IMPROVED -> " class=\"improved\"";
                    default -> "";
                };
                h.append("<td").append(pc).append(">").append(value(c.metric(), p.value())).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static String value(String metric, double v) {
        if (metric.equals("tokens_per_second")) {
            return String.format("%,.0f", v);
        }
        if (metric.equals("wall_seconds")) {
            return String.format("%,.1f", v);
        }
        return String.format("%.4f", v);
    }

    private static final Map<String, String> TITLES = Map.of(Experiments.PG19, "PG-19", Experiments.ABLATION,
            "Ablation", Experiments.MMLU, "MMLU", Experiments.LOCOMO, "LoCoMo");

    private static String experimentTitle(String experiment) {
        return TITLES.getOrDefault(experiment, experiment);
    }

    private static String unitTitle(String experiment, String unit) {
        return switch (experiment) {
            case Experiments.PG19, Experiments.ABLATION -> "book " + unit;
            case Experiments.MMLU -> "subjects " + (unit.length() > 60 ? unit.substring(0, 57) + "…" : unit);
            case Experiments.LOCOMO -> "conversation " + unit;
            default -> unit;
        };
    }
}
