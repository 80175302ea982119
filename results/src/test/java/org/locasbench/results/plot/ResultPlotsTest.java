package org.locasbench.results.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.locasbench.results.Environment;
import org.locasbench.results.Metrics;
import org.locasbench.results.MethodInfo;
import org.locasbench.results.Result;
import org.locasbench.results.ResultFiles;
import org.locasbench.results.SampleResults;

class ResultPlotsTest {
    private static Result streaming(String label, List<Double> nll) {
        return Result.builder("pg19", Result.nameOf("pg19", "1", label), "1")
                .method(MethodInfo.of(label, label, 0, "m")).metric(Metrics.PPL, 40)
                .series(Metrics.Series.WINDOW_END, List.of(256.0, 512.0, 768.0))
                .series(Metrics.Series.WINDOW_NLL, nll)
                .environment(Environment.capture("cpu", Map.of()))
                .config(ResultFiles.MAPPER.createObjectNode()).build();
    }

    @Test
    void windowCurvesOverlayOneLinePerResultSkippingMissingValues() throws Exception {
        Result none = streaming("none", List.of(3.7, 3.6, 3.5));
        Result locas = streaming("locas", java.util.Arrays.asList(3.7, null, 3.2));
        CurvePlot plot = ResultPlots.windowCurves("curves", List.of(none, locas));
        String svg = plot.toSvgElement(600, 300);
        if (!CurvePlot.canDraw()) {
            assertThat(svg).as("no fonts: no plot, one warning").isNull();
            return;
        }
        assertThat(svg).startsWith("<svg").contains("none", "locas", "tokens streamed");
        assertThat(plot.toSvg(600, 300)).startsWith("<?xml");
    }

    @Test
    void mmluAndLocomoPlots() {
        CurvePlot mmlu = ResultPlots.subjectAccuracy(SampleResults.mmlu());
        CurvePlot locomo = ResultPlots.answerScores(SampleResults.locomo());
        if (CurvePlot.canDraw()) {
            assertThat(mmlu.toSvgElement(600, 300)).contains("MMLU accuracy per subject: locas-sidecar",
                    "1 global_facts, 2 marketing");
            assertThat(locomo.toSvgElement(600, 300)).contains("LoCoMo conv-26: score per question, none");
        }
    }

    private static Result pg19(String id, List<Double> nll, Map<String, Double> marks) {
        Result.Builder b = Result.builder("pg19", Result.nameOf("pg19", "1", id), "1")
                .method(MethodInfo.of(id, id, 0, "m")).metric(Metrics.PPL, 40)
                .series(Metrics.Series.WINDOW_END, List.of(256.0, 512.0, 768.0))
                .series(Metrics.Series.WINDOW_NLL, nll)
                .environment(Environment.capture("cpu", Map.of()))
                .config(ResultFiles.MAPPER.createObjectNode());
        marks.forEach((k, v) -> b.breakdown(Metrics.Breakdowns.PPL_AT, k, v));
        return b.build();
    }

    @Test
    void cumulativePplIsTokenWeightedOverTheWindowsSoFar() {
        Result r = pg19("locas", java.util.Arrays.asList(3.0, null, 4.0), Map.of("768", 33.1, "256", 20.0));
        double[][] c = ResultPlots.cumulativePpl(r);
        assertThat(c[0]).containsExactly(256, 768);
        // the window without an NLL is not scored: 256 tokens at 3 nats, then 256 at 4
        assertThat(c[1][0]).isCloseTo(Math.exp(3.0), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(c[1][1]).isCloseTo(Math.exp(3.5), org.assertj.core.data.Offset.offset(1e-9));
        double[][] marks = ResultPlots.pplMarks(r);
        assertThat(marks[0]).containsExactly(256, 768);
        assertThat(marks[1]).containsExactly(20.0, 33.1);
    }

    @Test
    void cumulativePplDifferenceToNoneAndTheLogScaleNllPlot() {
        Result none = pg19("none", List.of(3.0, 3.0, 3.0), Map.of("768", 20.0));
        Result locas = pg19("locas", List.of(3.0, 2.0, 1.0), Map.of("768", 7.4));
        CurvePlot diff = ResultPlots.cumulativePplDifference("d", List.of(none, locas), Metrics.Methods.NONE);
        assertThat(diff.names()).containsExactly("locas");
        assertThat(ResultPlots.cumulativePplDifference("d", List.of(locas), Metrics.Methods.NONE)).isNull();
        CurvePlot cum = ResultPlots.cumulativePplCurves("cumulative", List.of(none, locas));
        CurvePlot log = ResultPlots.nllByWindow("n", List.of(none, locas), x -> "init " + x.method().id());
        assertThat(log.names()).containsExactly("init none", "init locas");
        if (CurvePlot.canDraw()) {
            assertThat(cum.toSvgElement(600, 300)).contains(">cumulative<", "tokens streamed")
                    .doesNotContain("(marks)");
            assertThat(diff.toSvgElement(600, 300)).startsWith("<svg").contains("locas");
            assertThat(log.toSvgElement(600, 300)).contains("window (log scale)", "init locas");
        }
    }

    @Test
    void mmluGroupsAreQuestionWeightedAndForgettingIsAgainstBase() {
        Result base = mmlu("base", Map.of("global_facts", 0.5, "marketing", 1.0, "high_school_geography", 0.25,
                "made_up_subject", 1.0), Map.of("global_facts", 10.0, "marketing", 30.0));
        Map<String, Double> groups = ResultPlots.groupAccuracy(base);
        assertThat(groups).containsOnlyKeys("social_sciences", "other");
        assertThat(groups.get("other")).isEqualTo((0.5 * 10 + 1.0 * 30) / 40);
        assertThat(groups.get("social_sciences")).isEqualTo(0.25);
        Result sidecar = mmlu("locas-sidecar", Map.of("global_facts", 0.25), Map.of());
        BarPlot bars = ResultPlots.groupAccuracyBars("g", List.of(base, sidecar));
        assertThat(bars.value("base", "other")).isEqualTo(0.875);
        assertThat(bars.value("locas-sidecar", "other")).isEqualTo(0.25);
        BarPlot forgetting = ResultPlots.forgettingBars("f", List.of(base, sidecar));
        assertThat(forgetting.value("macro accuracy − base", "locas-sidecar")).isEqualTo(0.25 - 0.6);
        assertThat(ResultPlots.forgettingBars("f", List.of(sidecar))).isNull();
        if (CurvePlot.canDraw()) {
            assertThat(bars.toSvgElement(600, 300)).startsWith("<svg").contains("MMLU subject group", "other", ">.875<");
            assertThat(forgetting.toSvgElement(600, 300)).contains("−0.350");
        }
    }

    private static Result mmlu(String variant, Map<String, Double> acc, Map<String, Double> questions) {
        Result.Builder b = Result.builder("mmlu", Result.nameOf("mmlu", variant), "s")
                .method(MethodInfo.of(variant.equals("base") ? "none" : "locas", variant, 0, "m").withVariant(variant))
                .metric(Metrics.MACRO_ACCURACY, variant.equals("base") ? 0.6 : 0.25)
                .environment(Environment.capture("cpu", Map.of()))
                .config(ResultFiles.MAPPER.createObjectNode());
        new java.util.TreeMap<>(acc).forEach((k, v) -> b.breakdown(Metrics.Breakdowns.ACCURACY_BY_SUBJECT, k, v));
        questions.forEach((k, v) -> b.breakdown(Metrics.Breakdowns.QUESTIONS_BY_SUBJECT, k, v));
        return b.build();
    }

    @Test
    void locomoF1PerCategoryIsWeightedByQuestionsOverConversations() {
        Result a = locomo("conv-1", 0.5, 1);
        Result b = locomo("conv-2", 0.0, 3);
        Map<String, Map<String, Double>> f1 = ResultPlots.categoryF1(List.of(a, b));
        assertThat(f1).containsOnlyKeys("none");
        assertThat(f1.get("none")).containsExactly(org.assertj.core.api.Assertions.entry("temporal", 0.125));
        BarPlot bars = ResultPlots.categoryF1Bars("l", List.of(a, b));
        assertThat(bars.value("none", "temporal")).isEqualTo(0.125);
    }

    private static Result locomo(String conv, double f1, double questions) {
        return Result.builder("locomo", Result.nameOf("locomo", conv, "none"), conv)
                .method(MethodInfo.of("none", "none", 0, "m")).metric(Metrics.OVERALL_F1, f1)
                .breakdown(Metrics.Breakdowns.F1_BY_CATEGORY, "temporal", f1)
                .breakdown(Metrics.Breakdowns.QUESTIONS_BY_CATEGORY, "temporal", questions)
                .environment(Environment.capture("cpu", Map.of()))
                .config(ResultFiles.MAPPER.createObjectNode()).build();
    }
}
