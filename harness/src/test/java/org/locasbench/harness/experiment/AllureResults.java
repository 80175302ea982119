package org.locasbench.harness.experiment;

import io.qameta.allure.Allure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.locasbench.results.Result;
import org.locasbench.results.ResultFiles;
import org.locasbench.results.plot.ResultPlots;

/** Puts a run's parameters, result JSON and plot into the Allure result of the current test. */
final class AllureResults {
    private AllureResults() {}

    static void attach(Result result, String svg) {
        result.method().asParameters().forEach(Allure::parameter);
        // the commit changes every run; excluded so Allure's history id stays stable across commits
        String commit = result.environment().gitCommit();
        Allure.parameter("commit", commit == null ? "unknown" : commit, true);
        Allure.addAttachment(result.name() + ".json", "application/json", ResultFiles.toJson(result), ".json");
        if (svg != null) {
            Allure.addAttachment(result.name() + ".svg", "image/svg+xml", svg, ".svg");
        }
    }

    /** Results of the suites go where `mvn verify` users look: harness/target/results/EXPERIMENT. */
    static Path resultsDir(String experiment) {
        return Path.of("target", "results", experiment);
    }

    /** A per-window NLL plot of one run, with the no-memory baseline overlaid when given; null where none can draw. */
    static String curve(String title, Result run, Result baseline) {
        List<Result> results = new ArrayList<>();
        if (baseline != null && baseline != run) {
            results.add(baseline);
        }
        results.add(run);
        return ResultPlots.windowCurves(title, results).toSvg(900, 500);
    }
}
