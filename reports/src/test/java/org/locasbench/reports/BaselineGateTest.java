package org.locasbench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineGateTest {
    @TempDir
    Path tmp;

    /** Copies the sample results, scaling one result's PPL by {@code factor}. */
    private Path results(double factor) throws Exception {
        Path dir = tmp.resolve("results-" + factor);
        Files.createDirectories(dir);
        Path src = Path.of(getClass().getResource("/results").toURI());
        try (var files = Files.list(src)) {
            for (Path f : files.toList()) {
                ObjectNode r = (ObjectNode) BaselineGate.JSON.readTree(f.toFile());
                if (r.get("name").asText().equals("pg19-10146-locas-highest-r-64")) {
                    ObjectNode m = (ObjectNode) r.get("metrics");
                    m.put("ppl", m.get("ppl").asDouble() * factor);
                }
                BaselineGate.JSON.writeValue(dir.resolve(f.getFileName()).toFile(), r);
            }
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
}
