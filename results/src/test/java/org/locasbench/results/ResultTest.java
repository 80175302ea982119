package org.locasbench.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ResultTest {
    static List<Result> kinds() {
        return SampleResults.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void roundTripsThroughJsonUnchanged(Result r) {
        String json = ResultFiles.toJson(r);
        Result back = ResultFiles.parse(json, r.name() + ".json");
        assertThat(back).isEqualTo(r);
        assertThat(ResultFiles.toJson(back)).isEqualTo(json);
        assertThat(back.schemaVersion()).isEqualTo(2);
    }

    @Test
    void everyExperimentKindHasItsTypedParts() {
        Result pg19 = SampleResults.pg19();
        assertThat(pg19.name()).isEqualTo("pg19-10146-locas-highest-r-64");
        assertThat(pg19.requireMetric(Metrics.PPL)).isEqualTo(41.5);
        assertThat(pg19.breakdown(Metrics.Breakdowns.PPL_AT)).containsKeys("256", "768");
        assertThat(pg19.series(Metrics.Series.TRAIN_LOSS)).containsExactly(null, 3.75, 3.5);
        assertThat(pg19.value("ppl_at.768")).hasValue(41.5);
        assertThat(pg19.value("ppl")).hasValue(41.5);
        assertThat(pg19.value("ppl_at.999")).isEmpty();

        Result mmlu = SampleResults.mmlu();
        assertThat(mmlu.method().variant()).isEqualTo("locas-sidecar");
        assertThat(mmlu.answers()).extracting(Answer::group).containsExactly("global_facts", "marketing");
        assertThat(mmlu.series()).isEmpty();

        Result locomo = SampleResults.locomo();
        assertThat(locomo.method().visibleTokens()).isEqualTo(128);
        assertThat(locomo.value("f1_by_category.temporal")).hasValue(0.5);
        assertThat(locomo.answers().get(1).adversarialF1()).isEqualTo(0.125);
        assertThat(locomo.answers().get(1).gold()).isNull();
    }

    @Test
    void nanOrInfiniteNumbersAreRefusedNamingTheMetric() {
        assertThatThrownBy(() -> Result.builder("pg19", "x", "1").metric(Metrics.PPL, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metric 'ppl'")
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> Result.builder("pg19", "x", "1").breakdown(Metrics.Breakdowns.PPL_AT, "1024",
                Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("breakdown 'ppl_at' '1024'");
        assertThatThrownBy(() -> Result.builder("pg19", "x", "1").append(Metrics.Series.TRAIN_LOSS, 1.0)
                .append(Metrics.Series.TRAIN_LOSS, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("series 'train_loss'[1]");
        assertThatThrownBy(() -> SampleResults.pg19().withMetric(Metrics.WALL_RELATIVE_TO_NONE, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("result 'pg19-10146-locas-highest-r-64': metric 'wall_relative_to_none'");
        assertThatThrownBy(() -> Answer.of("temporal", "q?", "a", "b", Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("answer score of 'q?'");

        // the canonical constructor checks too, not only the builder
        Result r = SampleResults.pg19();
        Map<String, Double> metrics = new LinkedHashMap<>(r.metrics());
        metrics.put(Metrics.TEMP_LORA_PPL, Double.NaN);
        assertThatThrownBy(() -> new Result(2, r.experiment(), r.name(), r.unit(), r.method(), metrics,
                r.breakdowns(), r.series(), r.answers(), r.environment(), r.config()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metric 'temp_lora_ppl' is NaN");
    }

    @Test
    void requiredPartsAreChecked() {
        assertThatThrownBy(() -> Result.builder("pg19", "x", "1").metric(Metrics.PPL, 1).config(SampleResults
                .config("pg19")).environment(SampleResults.environment("cpu")).build())
                .hasMessage("missing field 'method'");
        assertThatThrownBy(() -> Result.builder("pg19", "x", "1").method(MethodInfo.of("none", "none", 0, "m"))
                .config(SampleResults.config("pg19")).environment(SampleResults.environment("cpu")).build())
                .hasMessageContaining("field 'metrics' is empty");
        assertThatThrownBy(() -> MethodInfo.of(null, "none", 0, "m")).hasMessage("missing field 'method.id'");
        assertThatThrownBy(() -> new Environment("abc", "yesterday", Environment.Hardware.of("cpu"), Map.of()))
                .hasMessageContaining("environment.timestamp");
        assertThatThrownBy(() -> Result.builder("pg19", "x", "1").method(MethodInfo.of("none", "none", 0, "m"))
                .metric(Metrics.PPL, 1).config(List.of(1, 2)).environment(SampleResults.environment("cpu")).build())
                .hasMessageContaining("field 'config' must be a JSON object");
    }

    @Test
    void isImmutableAndWithMetricAddsOne() {
        Result r = SampleResults.pg19();
        assertThatThrownBy(() -> r.metrics().put("x", 1.0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.series(Metrics.Series.WINDOW_NLL).add(1.0))
                .isInstanceOf(UnsupportedOperationException.class);
        List<Double> values = new ArrayList<>(List.of(1.0));
        Result s = Result.builder("pg19", "x", "1").method(MethodInfo.of("none", "none", 0, "m")).metric("ppl", 1)
                .series("window_nll", values).environment(SampleResults.environment("cpu"))
                .config(SampleResults.config("pg19")).build();
        values.add(2.0);
        assertThat(s.series("window_nll")).containsExactly(1.0);
        Result w = r.withMetric(Metrics.WALL_RELATIVE_TO_NONE, 2.0);
        assertThat(w.requireMetric(Metrics.WALL_RELATIVE_TO_NONE)).isEqualTo(2.0);
        assertThat(r.requireMetric(Metrics.WALL_RELATIVE_TO_NONE)).isEqualTo(3.5);
        assertThat(List.copyOf(w.metrics().keySet())).isEqualTo(List.copyOf(r.metrics().keySet()));
    }

    @Test
    void methodSettingsAsReportParameters() {
        assertThat(SampleResults.pg19().method().asParameters()).containsExactly(Map.entry("method", "locas"),
                Map.entry("init", "highest"), Map.entry("width", "64"), Map.entry("model", SampleResults.MODEL),
                Map.entry("label", "locas[highest,r=64]"));
        assertThat(SampleResults.locomo().method().asParameters()).containsEntry("context_mode", "date_split")
                .containsEntry("visible_tokens", "128").doesNotContainKey("init");
    }

    @Test
    void namesAreFileSafe() {
        assertThat(Result.nameOf("pg19", "10146", "locas[highest,r=64]")).isEqualTo("pg19-10146-locas-highest-r-64");
        assertThat(Result.nameOf("pg19", "10146", "long_context[1024]")).isEqualTo("pg19-10146-long_context-1024");
        assertThat(Result.nameOf("locomo", "conv-26", "lora[r=16]")).isEqualTo("locomo-conv-26-lora-r-16");
        assertThat(Result.nameOf("mmlu", "base")).isEqualTo("mmlu-base");
    }

    @Test
    void environmentCaptureRecordsThisProcess() {
        Environment e = Environment.capture("cpu", Map.of("djl", "0.35.1"));
        assertThat(e.libraries()).containsKeys("java", "djl", "jackson");
        assertThat(List.copyOf(e.libraries().keySet())).startsWith("java", "djl");
        assertThat(e.hardware().device()).isEqualTo("cpu");
        assertThat(e.hardware().cpus()).isPositive();
        assertThat(e.gitCommit()).isNotBlank();
        assertThat(java.time.Instant.parse(e.timestamp())).isNotNull();
    }
}
