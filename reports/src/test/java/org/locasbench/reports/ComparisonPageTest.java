package org.locasbench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.locasbench.results.plot.CurvePlot;

/** The comparison page's HTML from the sample results, without a browser (ComparisonPageBrowserTest renders it). */
class ComparisonPageTest {
    @Test
    void everyExperimentGetsItsTableWithDeltasToItsBaseline() throws Exception {
        ResultSet set = ResultSet.load(List.of(Path.of(getClass().getResource("/results").toURI())));
        List<BaselineGate.Row> gate = List.of(BaselineGate.judge("pg19", "pg19-10146-none", "ppl", 45.0, 45.81,
                0.02, true, "lower"));
        String html = ComparisonPage.render(set, gate, "test-commit", "now");
        assertThat(Pattern.compile(Pattern.quote("<table class=\"results\">")).matcher(html).results().count())
                .isEqualTo(3);
        assertThat(html).contains("<section id=\"gate\">", "<section id=\"pg19\">", "<section id=\"mmlu\">",
                "<section id=\"locomo\">", "locas[highest,r=64]", "lora[r=16]", "locas-sidecar");
        // pg19: none first, Locas' delta to it (41.912 - 45.814) in green; params and wall x none
        assertThat(html).contains("<tr><td class=\"l\">none</td><td>45.814</td><td class=\"\">+0.0000</td>");
        assertThat(html).contains("<td class=\"better\">-3.9019</td>", "393,216 (4.68%)", "<td>1.00</td>");
        assertThat(html).contains("<td>3.789 / 3.514 / 3.635</td>");
        // mmlu: the sidecar against base, worse
        assertThat(html).contains("<td class=\"worse\">-0.0333</td>");
        // locomo: every category column, single_hop's F1
        assertThat(html).contains("<th>multi-hop</th><th>temporal</th><th>open-domain</th><th>single-hop</th>"
                + "<th>adversarial</th>", "<td>0.058</td>");
        // mmlu: accuracy per subject group as a table too (the fixture's subjects are "other" and "social sciences")
        assertThat(html).contains("<table class=\"groups\">", "<th>STEM</th><th>humanities</th><th>social sciences</th>"
                + "<th>other</th>", "<tr><td class=\"l\">base</td><td>–</td><td>–</td><td>0.2000</td><td>0.3250</td>");
        if (CurvePlot.canDraw()) {
            // pg19: cumulative PPL, its difference to none, per-window NLL; mmlu: groups, forgetting; locomo: F1 bars
            assertThat(Pattern.compile("<svg").matcher(html).results().count()).isEqualTo(6);
            assertThat(html).contains("<figure class=\"cumulative\"><svg", "<figure class=\"difference\"><svg",
                    "<details class=\"secondary\"><summary>per-window NLL", "<figure class=\"groups\"><svg",
                    "<figure class=\"forgetting\"><svg", "<figure class=\"categories\"><svg");
        }
    }

    @Test
    void noResultsSaysSo() {
        assertThat(ComparisonPage.render(new ResultSet(java.util.Map.of()), List.of(), "c", "now"))
                .contains("<p id=\"empty\">No results found.</p>");
    }
}
