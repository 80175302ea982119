package org.locasbench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locasbench.results.Environment;
import org.locasbench.results.HistoryRecord;
import org.locasbench.results.Result;
import org.locasbench.results.plot.CurvePlot;

/** The trends from a metric history of three runs, the third with a planted regression; HTML without a browser. */
class TrendsTest {
    static final String LOCAS = "pg19-10146-locas-highest-r-64";

    @TempDir
    Path tmp;

    private Trends threeRuns() throws Exception {
        List<Result> samples = HistoryFixtures.samples();
        Path baselines = tmp.resolve("baselines");
        BaselineGate.accept(baselines, new ResultSet(java.util.Map.of("pg19", samples.stream()
                .filter(r -> r.experiment().equals("pg19")).toList())), "abc");
        List<HistoryRecord> records = HistoryFixtures.history(tmp.resolve("history.jsonl"), List.of(
                HistoryFixtures.run(samples, HistoryFixtures.commit("aaaa111"), "2026-01-20T09:30:00Z", r -> r),
                HistoryFixtures.run(samples, HistoryFixtures.commit("bbbb222"), "2026-01-21T09:30:00Z",
                        HistoryFixtures.scalePpl(LOCAS, 1.005)),
                HistoryFixtures.run(samples, HistoryFixtures.commit("cccc333"), "2026-01-22T09:30:00Z",
                        HistoryFixtures.scalePpl(LOCAS, 1.10))));
        return new Trends(records, Baselines.load(baselines), 10, "history.jsonl", null);
    }

    @Test
    void oneChartPerHeadlineMetricWithThreePointsPerSeriesAndTheRegressionJudged() throws Exception {
        Trends trends = threeRuns();
        assertThat(trends.commitCount()).isEqualTo(3);
        Trends.Chart ppl = trends.charts().stream().filter(c -> c.id().equals("trend-pg19-10146-ppl")).findFirst()
                .orElseThrow();
        assertThat(ppl.commits()).extracting(Trends.Commit::label).containsExactly("aaaa111 2026-01-20",
                "bbbb222 2026-01-21", "cccc333 2026-01-22");
        assertThat(ppl.series()).hasSize(3).allSatisfy(s -> assertThat(s.points()).hasSize(3));
        assertThat(ppl.baselines()).containsOnlyKeys(LOCAS, "pg19-10146-none", "pg19-10146-lora-r-16");
        Trends.Series locas = ppl.series().stream().filter(s -> s.result().equals(LOCAS)).findFirst().orElseThrow();
        assertThat(locas.fullLabel()).startsWith("locas[highest,r=64] · cpu ×2 amd64 · cfg ");
        assertThat(locas.label()).as("one machine and config: said once, in the chart").isEqualTo("locas[highest,r=64]");
        assertThat(ppl.common()).startsWith("cpu ×2 amd64 · cfg ");
        assertThat(locas.points().get(0).status()).isEqualTo(BaselineGate.Status.OK);
        assertThat(locas.points().get(1).status()).as("0.5% worse: noise").isEqualTo(BaselineGate.Status.OK);
        assertThat(locas.points().get(2).status()).isEqualTo(BaselineGate.Status.REGRESSED);
        // every headline metric of the book has a chart, in the headline order
        assertThat(trends.charts().stream().filter(c -> c.experiment().equals("pg19")).map(Trends.Chart::metric))
                .containsExactly("ppl", "temp_lora_ppl", "ppl_at.1024", "ppl_at.2048", "ppl_at.3072", "ppl_at.4096",
                        "tokens_per_second", "wall_seconds");
        assertThat(trends.charts().stream().filter(c -> c.experiment().equals("locomo")).map(Trends.Chart::metric))
                .contains("overall_f1", "f1_by_category.single_hop");
        assertThat(trends.charts().stream().filter(c -> c.experiment().equals("mmlu")).map(Trends.Chart::metric))
                .containsExactly("macro_accuracy", "micro_accuracy");
    }

    @Test
    void anotherMachineOrConfigIsAnotherSeries() throws Exception {
        List<Result> pg19 = HistoryFixtures.samples().stream().filter(r -> r.name().equals(LOCAS)).toList();
        Result gpu = HistoryFixtures.at(pg19.get(0), HistoryFixtures.commit("dddd444"), "2026-01-23T09:30:00Z",
                new Environment.Hardware("gpu:0", 16, "Linux 6.8", "amd64", 65536));
        Result otherConfig = HistoryFixtures.at(pg19.get(0), HistoryFixtures.commit("dddd444"),
                "2026-01-23T10:30:00Z", null);
        otherConfig = new Result(otherConfig.schemaVersion(), otherConfig.experiment(), otherConfig.name(),
                otherConfig.unit(), otherConfig.method(), otherConfig.metrics(), otherConfig.breakdowns(),
                otherConfig.series(), otherConfig.answers(), otherConfig.environment(),
                ((com.fasterxml.jackson.databind.node.ObjectNode) otherConfig.config().deepCopy()).put("window", 512));
        List<HistoryRecord> records = HistoryFixtures.history(tmp.resolve("h.jsonl"), List.of(pg19, List.of(gpu),
                List.of(otherConfig)));
        Trends.Chart ppl = new Trends(records, Baselines.none(), 10, null, null).charts().get(0);
        assertThat(ppl.series()).hasSize(3).extracting(Trends.Series::label).allMatch(l -> l.startsWith("locas["))
                .doesNotHaveDuplicates();
        assertThat(ppl.series().get(1).label()).contains("gpu:0 ×16 amd64");
        assertThat(ppl.series()).extracting(Trends.Series::label).allMatch(l -> l.contains(" · cfg "));
        assertThat(ppl.common()).isEmpty();
        assertThat(ppl.commits()).hasSize(2);
    }

    @Test
    void thePageMarksTheRegressionAndKeepsItsTablesWithoutCharts() throws Exception {
        Trends trends = threeRuns();
        ResultSet set = ResultSet.load(List.of(Path.of(getClass().getResource("/results").toURI())));
        for (boolean charts : new boolean[] {true, false}) {
            String html = ComparisonPage.render(set, List.of(), trends, "c", "now", charts);
            String ppl = block(html, "trend-pg19-10146-ppl");
            assertThat(ppl).contains("<tr class=\"regressed last\" data-commit=\"cccc333\">",
                    "<td class=\"regressed\">46.1030</td>", "<tr data-commit=\"bbbb222\">",
                    "41.9118 ± 2.0%", "baseline (lower is better)");
            assertThat(count(ppl, "<tr data-commit=")).as("the two earlier runs, within tolerance").isEqualTo(2);
            assertThat(html).contains("<section id=\"trends\">", "<a href=\"#trends\">");
            // tables of the experiments are there either way
            assertThat(count(html, "<table class=\"results\">")).isEqualTo(3);
            if (!charts) {
                assertThat(html).doesNotContain("<svg").contains(ComparisonPage.NO_PLOT);
            } else if (CurvePlot.canDraw()) {
                assertThat(count(ppl, "<g class='point")).isEqualTo(9);
                assertThat(count(ppl, "<g class='point regressed last'")).isEqualTo(1);
            }
        }
    }

    @Test
    void aHistoryErrorIsShownOnThePage() {
        String html = ComparisonPage.render(new ResultSet(java.util.Map.of()), List.of(), new Trends(List.of(),
                Baselines.none(), 10, "f", "f:3: not valid JSON"), "c", "now");
        assertThat(html).contains("<p class=\"error\" id=\"history-error\">The metric history could not be read: "
                + "f:3: not valid JSON</p>");
    }

    /** The trend block with that id. */
    static String block(String html, String id) {
        int start = html.indexOf("<div class=\"trend\" id=\"" + id + "\"");
        assertThat(start).as("trend " + id).isNotNegative();
        int end = html.indexOf("<div class=\"trend\"", start + 1);
        return html.substring(start, end < 0 ? html.length() : end);
    }

    static int count(String text, String needle) {
        return (int) Pattern.compile(Pattern.quote(needle)).matcher(text).results().count();
    }
}
