package org.locasbench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locasbench.results.Metrics;
import org.locasbench.results.Result;
import org.locasbench.results.ResultFiles;

class BaselineGateTest {
    @TempDir
    Path tmp;

    /** Copies the sample results (schema 2), scaling one result's PPL by {@code factor}. */
    private Path results(double factor) throws Exception {
        Path dir = tmp.resolve("results-" + factor);
        for (Result r : ResultFiles.readDirectory(Path.of(getClass().getResource("/results").toURI()))) {
            if (r.name().equals("pg19-10146-locas-highest-r-64")) {
                r = r.withMetric(Metrics.PPL, r.requireMetric(Metrics.PPL) * factor);
            }
            ResultFiles.write(dir, r);
        }
        return dir;
    }

    @Test
    void plantedRegressionFailsAndNoiseWithinTolerancePasses() throws Exception {
        Path baselines = tmp.resolve("baselines");
        BaselineGate.accept(baselines, ResultSet.load(List.of(results(1.0))), "abc");
        assertThat(baselines.resolve("pg19.json")).exists();

        List<BaselineGate.Row> noise = BaselineGate.compare(baselines, ResultSet.load(List.of(results(1.005))));
        assertThat(BaselineGate.failed(noise)).as("0.5%% worse PPL is within the 2%% tolerance").isFalse();
        assertThat(noise).extracting(BaselineGate.Row::status).containsOnly(BaselineGate.Status.OK);

        List<BaselineGate.Row> planted = BaselineGate.compare(baselines, ResultSet.load(List.of(results(1.10))));
        assertThat(BaselineGate.failed(planted)).as("10%% worse PPL is a regression").isTrue();
        assertThat(planted).filteredOn(r -> r.status() == BaselineGate.Status.REGRESSED)
                .extracting(BaselineGate.Row::result).containsExactly("pg19-10146-locas-highest-r-64");
        String table = BaselineGate.table(planted);
        assertThat(table).contains("pg19-10146-locas-highest-r-64", "REGRESSED", "2.0% lower");

        List<BaselineGate.Row> better = BaselineGate.compare(baselines, ResultSet.load(List.of(results(0.90))));
        assertThat(BaselineGate.failed(better)).as("improvements do not fail the build").isFalse();
        assertThat(better).extracting(BaselineGate.Row::status).contains(BaselineGate.Status.IMPROVED);
    }

    @Test
    void aResultMissingFromTheRunFailsTheGate() throws Exception {
        Path baselines = tmp.resolve("baselines");
        BaselineGate.accept(baselines, ResultSet.load(List.of(results(1.0))), "abc");
        Path partial = results(1.0);
        Files.delete(partial.resolve("pg19-10146-lora-r-16.json"));
        List<BaselineGate.Row> rows = BaselineGate.compare(baselines, ResultSet.load(List.of(partial)));
        assertThat(BaselineGate.failed(rows)).isTrue();
        assertThat(rows).filteredOn(r -> r.status() == BaselineGate.Status.MISSING).isNotEmpty();
    }

    @Test
    void directionIsRespectedForHigherIsBetterMetrics() {
        assertThat(BaselineGate.judge("mmlu", "x", "micro_accuracy", 0.30, 0.24, 0.05, false, "higher").status())
                .isEqualTo(BaselineGate.Status.REGRESSED);
        assertThat(BaselineGate.judge("mmlu", "x", "micro_accuracy", 0.30, 0.36, 0.05, false, "higher").status())
                .isEqualTo(BaselineGate.Status.IMPROVED);
        assertThat(BaselineGate.judge("mmlu", "x", "micro_accuracy", 0.30, 0.28, 0.05, false, "higher").status())
                .isEqualTo(BaselineGate.Status.OK);
    }

    @Test
    void trackedBreakdownEntriesAreComparedByDottedPath() throws Exception {
        Path baselines = tmp.resolve("baselines");
        Files.createDirectories(baselines);
        Files.writeString(baselines.resolve("locomo.json"), """
                {"experiment": "locomo", "accepted_commit": "abc", "results": {"locomo-conv-26-none": {
                  "f1_by_category.single_hop": {"value": 0.2, "better": "higher", "tolerance": 0.05, "relative": false},
                  "overall_f1": {"value": 0.02, "better": "higher", "tolerance": 0.05, "relative": false}}}}
                """);
        List<BaselineGate.Row> rows = BaselineGate.compare(baselines, ResultSet.load(List.of(results(1.0))));
        assertThat(rows).extracting(BaselineGate.Row::metric, BaselineGate.Row::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("f1_by_category.single_hop", BaselineGate.Status.REGRESSED),
                org.assertj.core.groups.Tuple.tuple("overall_f1", BaselineGate.Status.OK));
        assertThat(rows.get(0).current()).isEqualTo(0.0575344084116014);
    }

    @Test
    void theCommittedBaselinesCoverTheSampleResultsByName() throws Exception {
        // the committed baselines (reports/baselines) keep their format: result name -> metric -> value, tolerance
        List<BaselineGate.Row> rows = BaselineGate.compare(Path.of("baselines"), ResultSet.load(List.of(results(1.0))));
        assertThat(rows).filteredOn(r -> r.result().equals("pg19-10146-none") && r.metric().equals("ppl"))
                .singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(BaselineGate.Status.OK));
        assertThat(rows).filteredOn(r -> r.result().equals("mmlu-base")).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(BaselineGate.Status.OK));
    }
}
