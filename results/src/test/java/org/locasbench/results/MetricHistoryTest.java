package org.locasbench.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricHistoryTest {
    @TempDir
    Path tmp;

    @Test
    void headlineMetricsPerExperimentByTheBaselinesNames() {
        assertThat(MetricHistory.headline(SampleResults.pg19())).containsExactly(
                org.assertj.core.api.Assertions.entry("ppl", 41.5),
                org.assertj.core.api.Assertions.entry("temp_lora_ppl", 42.25),
                org.assertj.core.api.Assertions.entry("ppl_at.256", 38.5),
                org.assertj.core.api.Assertions.entry("ppl_at.768", 41.5),
                org.assertj.core.api.Assertions.entry("tokens_per_second", 146.25),
                org.assertj.core.api.Assertions.entry("wall_seconds", 5.25));
        assertThat(MetricHistory.headline(SampleResults.mmlu())).containsOnlyKeys("macro_accuracy", "micro_accuracy",
                "tokens_per_second", "wall_seconds");
        assertThat(MetricHistory.headline(SampleResults.locomo()).keySet()).containsExactly("overall_f1",
                "f1_by_category.temporal", "f1_by_category.adversarial", "tokens_per_second", "wall_seconds");
        // every name resolves through Result.value, as the baselines do
        Result r = SampleResults.locomo();
        MetricHistory.headline(r).forEach((k, v) -> assertThat(r.value(k)).hasValue(v));
    }

    @Test
    void aRecordCarriesCommitDateMachineAndConfigHash() {
        HistoryRecord rec = MetricHistory.recordOf(SampleResults.pg19(), "runner-1");
        assertThat(rec.commit()).isEqualTo("0123456789abcdef0123456789abcdef01234567");
        assertThat(rec.shortCommit()).isEqualTo("0123456");
        assertThat(rec.date()).isEqualTo("2026-02-01T12:00:00Z");
        assertThat(rec.machine()).isEqualTo(new HistoryRecord.Machine("runner-1", "cpu", 2, "Linux 6.1", "amd64"));
        assertThat(rec.configHash()).hasSize(16).matches("[0-9a-f]+");
        assertThat(rec.result()).isEqualTo("pg19-10146-locas-highest-r-64");
        assertThat(rec.label()).isEqualTo("locas[highest,r=64]");
        assertThat(MetricHistory.toLine(rec)).startsWith("{\"history_version\":1,\"commit\":\"0123456789abcdef")
                .contains("\"machine\":{\"host\":\"runner-1\",\"device\":\"cpu\",\"cpus\":2,\"os\":\"Linux 6.1\","
                        + "\"arch\":\"amd64\"}", "\"metrics\":{\"ppl\":41.5,")
                .doesNotContain("\n");
    }

    @Test
    void theConfigHashIgnoresKeyOrderButNotValues() {
        ObjectNode a = ResultFiles.MAPPER.createObjectNode();
        a.putObject("window").put("size", 256).put("context", 256);
        a.putObject("run").put("seed", 0);
        ObjectNode b = ResultFiles.MAPPER.createObjectNode();
        b.putObject("run").put("seed", 0);
        b.putObject("window").put("context", 256).put("size", 256);
        assertThat(MetricHistory.configHash(a)).isEqualTo(MetricHistory.configHash(b));
        // a new option with a null default ("as before") keeps the series; a value in it starts a new one
        ((ObjectNode) b.get("run")).putNull("newOption");
        assertThat(MetricHistory.configHash(a)).isEqualTo(MetricHistory.configHash(b));
        ((ObjectNode) b.get("run")).put("newOption", 2);
        assertThat(MetricHistory.configHash(a)).isNotEqualTo(MetricHistory.configHash(b));
        ((ObjectNode) b.get("run")).putNull("newOption");
        ((ObjectNode) b.get("window")).put("size", 512);
        assertThat(MetricHistory.configHash(a)).isNotEqualTo(MetricHistory.configHash(b));
    }

    @Test
    void appendKeepsOldLinesSkipsRunsAlreadyThereAndReadsBack() throws Exception {
        Path file = tmp.resolve("cache/locas-bench/metric-history.jsonl");
        assertThat(MetricHistory.read(file)).as("a missing file is an empty history").isEmpty();
        assertThat(MetricHistory.append(file, List.of())).isEmpty();
        assertThat(tmp.resolve("cache")).as("no results: the cache folder is left alone").doesNotExist();
        List<HistoryRecord> first = MetricHistory.recordsOf(SampleResults.all(), "h");
        assertThat(MetricHistory.append(file, first)).hasSize(4);
        String before = Files.readString(file);
        assertThat(before.lines()).hasSize(4);
        assertThat(MetricHistory.append(file, first)).as("the same results reported again").isEmpty();
        assertThat(Files.readString(file)).isEqualTo(before);

        Result later = SampleResults.pg19().withMetric(Metrics.PPL, 40.0);
        later = new Result(later.schemaVersion(), later.experiment(), later.name(), later.unit(), later.method(),
                later.metrics(), later.breakdowns(), later.series(), later.answers(), new Environment("fedcba98",
                        "2026-02-02T12:00:00Z", later.environment().hardware(), later.environment().libraries()),
                later.config());
        assertThat(MetricHistory.append(file, List.of(MetricHistory.recordOf(later, "h")))).hasSize(1);
        assertThat(Files.readString(file)).startsWith(before);
        List<HistoryRecord> all = MetricHistory.read(file);
        assertThat(all).hasSize(5);
        assertThat(all.get(0)).isEqualTo(first.get(0));
        assertThat(all.get(4).commit()).isEqualTo("fedcba98");
        assertThat(all.get(4).metrics().get("ppl")).isEqualTo(40.0);
        assertThat(all.get(4).seriesKey()).isEqualTo(all.get(0).seriesKey());
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder("metric-history.jsonl", "metric-history.jsonl.lock");
        }
    }

    @Test
    void aCorruptLineIsOneErrorNamingFileAndLine() throws Exception {
        Path file = tmp.resolve("metric-history.jsonl");
        MetricHistory.append(file, MetricHistory.recordsOf(SampleResults.all(), "h"));
        List<String> lines = Files.readAllLines(file);
        lines.set(2, lines.get(2).substring(0, 40)); // a truncated write
        Files.write(file, lines, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> MetricHistory.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + ":3: not valid JSON").hasMessageContaining("fix or delete that line");
        assertThatThrownBy(() -> MetricHistory.append(file, MetricHistory.recordsOf(SampleResults.all(), "x")))
                .as("nothing is appended to a corrupt history").hasMessageStartingWith(file + ":3: ");

        lines.set(2, lines.get(0).replace("\"unit\"", "\"units\":\"x\",\"unit\""));
        Files.write(file, lines, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> MetricHistory.read(file)).hasMessageStartingWith(file + ":3: unknown field 'units'");
        lines.set(2, lines.get(0).replace("\"history_version\":1", "\"history_version\":7"));
        Files.write(file, lines, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> MetricHistory.read(file))
                .hasMessageStartingWith(file + ":3: metric history version 7 is not supported");
        lines.set(2, lines.get(0).replaceFirst(",\"config_hash\":\"[0-9a-f]+\"", ""));
        Files.write(file, lines, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> MetricHistory.read(file)).hasMessageStartingWith(file + ":3: missing field 'config_hash'");
        lines.set(2, "");
        Files.write(file, lines, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> MetricHistory.read(file)).hasMessageStartingWith(file + ":3: blank line");
    }

    @Test
    void theDefaultFileIsNextToTheAllureHistoryUnlessMoved() {
        String old = System.getProperty(MetricHistory.FILE_PROPERTY);
        try {
            System.clearProperty(MetricHistory.FILE_PROPERTY);
            assertThat(MetricHistory.defaultFile()).isEqualTo(Path.of(System.getProperty("user.home"), ".cache",
                    "locas-bench", "metric-history.jsonl"));
            System.setProperty(MetricHistory.FILE_PROPERTY, tmp.resolve("h.jsonl").toString());
            assertThat(MetricHistory.defaultFile()).isEqualTo(tmp.resolve("h.jsonl"));
        } finally {
            if (old == null) {
                System.clearProperty(MetricHistory.FILE_PROPERTY);
            } else {
                System.setProperty(MetricHistory.FILE_PROPERTY, old);
            }
        }
    }
}
