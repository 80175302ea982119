package org.locasbench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locasbench.results.HistoryRecord;
import org.locasbench.results.MetricHistory;
import picocli.CommandLine;

/** The report step as {@code mvn verify} runs it (without Allure): the metric history and the trends on the page. */
class ReportPipelineTest {
    @TempDir
    Path tmp;

    private int run(Path history, ByteArrayOutputStream err) throws Exception {
        Path results = Path.of(getClass().getResource("/results").toURI());
        Files.createDirectories(tmp.resolve("baselines"));
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new CommandLine(new ReportPipeline()).execute("--results=" + results,
                    "--allure-results=" + tmp.resolve("none"), "--allure-home=" + tmp.resolve("none"),
                    "--history=" + tmp.resolve("allure-history"), "--out=" + tmp.resolve("site"),
                    "--baselines=" + tmp.resolve("baselines"), "--skip-allure=true",
                    "--metric-history=" + history, "--trend-commits=5");
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void everyRunAppendsItsHeadlineMetricsOnceAndThePageShowsTheTrends() throws Exception {
        Path history = tmp.resolve("cache/locas-bench/metric-history.jsonl");
        assertThat(run(history, new ByteArrayOutputStream())).isZero();
        List<HistoryRecord> records = MetricHistory.read(history);
        assertThat(records).hasSize(6).extracting(HistoryRecord::result).contains("pg19-10146-none", "mmlu-base",
                "locomo-conv-26-none");
        assertThat(records.get(0).commit()).isEqualTo("b4bdd5177338a71ffac20de1ca8d109b234a83db");
        String page = Files.readString(tmp.resolve("site/comparison/index.html"));
        assertThat(page).contains("<section id=\"trends\">", "<div class=\"trend\" id=\"trend-pg19-10146-ppl\"",
                "6 records over ");

        // the same results files reported again (mvn verify -pl reports): nothing new
        assertThat(run(history, new ByteArrayOutputStream())).isZero();
        assertThat(MetricHistory.read(history)).hasSize(6);
    }

    @Test
    void aCorruptHistoryFailsTheStepNamingTheLineAndIsLeftAsItWas() throws Exception {
        Path history = tmp.resolve("metric-history.jsonl");
        Files.writeString(history, "{\"history_version\":1,\"commit\":\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(run(history, err)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("error: " + history + ":1: not valid JSON");
        assertThat(Files.readString(history)).isEqualTo("{\"history_version\":1,\"commit\":\n");
        assertThat(Files.readString(tmp.resolve("site/comparison/index.html")))
                .contains("<p class=\"error\" id=\"history-error\">The metric history could not be read: " + history
                        + ":1: not valid JSON");
    }
}
