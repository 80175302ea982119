package org.locasbench.harness.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qameta.allure.Allure;
import java.nio.file.Path;

/** Puts a run's parameters, metrics JSON and curve plot into the Allure result of the current test. */
final class AllureResults {
    private AllureResults() {}

    static void attach(ObjectNode result, String svg) {
        JsonNode p = result.get("parameters");
        p.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) {
                Allure.parameter(e.getKey(), e.getValue().asText());
            }
        });
        // the commit changes every run; excluded so Allure's history id stays stable across commits
        Allure.parameter("commit", result.path("environment").path("git_commit").asText("unknown"), true);
        Allure.addAttachment(result.get("name").asText() + ".json", "application/json",
                ResultsWriter.toJson(result), ".json");
        if (svg != null) {
            Allure.addAttachment(result.get("name").asText() + ".svg", "image/svg+xml", svg, ".svg");
        }
    }

    /** Results of the suites go where `mvn verify` users look: harness/target/results/EXPERIMENT. */
    static Path resultsDir(String experiment) {
        return Path.of("target", "results", experiment);
    }

    /** A per-window NLL plot of one run, with the no-memory baseline overlaid when given. */
    static String curve(String title, ObjectNode run, ObjectNode baseline) {
        CurvePlot plot = new CurvePlot(title, "tokens streamed", "mean NLL of the window (nats)");
        for (ObjectNode r : baseline == null || baseline == run ? new ObjectNode[] {run}
                : new ObjectNode[] {baseline, run}) {
            StreamingExperiment.addWindowCurve(plot, r);
        }
        return plot.toSvg(900, 500);
    }
}
