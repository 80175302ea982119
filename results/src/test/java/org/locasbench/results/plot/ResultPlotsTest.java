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
}
