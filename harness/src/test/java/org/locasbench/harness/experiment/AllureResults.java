package org.locasbench.harness.experiment;

import io.qameta.allure.Allure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.locasbench.results.Result;
import org.locasbench.results.ResultFiles;
import org.locasbench.results.plot.ResultPlots;

/** Puts a result's method parameters, its JSON and its curve plot into the Allure result of the current test. */
final class AllureResults {
    private AllureResults() {}

    /** Parameters from {@link org.locasbench.results.MethodInfo#asParameters()}, the JSON, and the SVG when not null. */
    static void attach(Result result, String svg) {
        result.method().asParameters().forEach(Allure::parameter);
        // the commit changes every run; excluded so Allure's history id stays stable across commits
        Allure.parameter("commit", result.environment().gitCommit(), true);
        Allure.addAttachment(result.name() + ".json", "application/json", ResultFiles.toJson(result), ".json");
        if (svg != null) {
            Allure.addAttachment(result.name() + ".svg", "image/svg+xml", svg, ".svg");
        }
    }

    /** Results of the suites go where `mvn verify` users look: harness/target/results/EXPERIMENT (the gate reads it). */
    static Path resultsDir(String experiment) {
        return Path.of("target", "results", experiment);
    }

    /** Writes {@code result} to {@code target/results/<experiment>/<name>.json}. */
    static Path write(Result result) throws IOException {
        return ResultFiles.write(resultsDir(result.experiment()), result);
    }

    /** The per-window NLL curves of {@code results} overlaid, as SVG; null where this JVM cannot draw. */
    static String curve(String title, List<Result> results) {
        return ResultPlots.windowCurves(title, results).toSvg(900, 500);
    }
}
