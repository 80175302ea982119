package org.locasbench.harness.experiment;

import io.qameta.allure.Allure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.locasbench.results.Metrics;
import org.locasbench.results.Result;
import org.locasbench.results.ResultFiles;
import org.locasbench.results.plot.ResultPlots;

/** Puts a result's method parameters, its JSON and its curve plot into the Allure result of the current test. */
final class AllureResults {
    private AllureResults() {}

    /** Where the comparison page lies from the Allure report ({@code site/allure/} beside {@code site/comparison/}). */
    static final String COMPARISON_PAGE = "../comparison/index.html";

    /**
     * Names the current test for people (epic = experiment, feature = method, story = unit; display name
     * "PG-19 · book 10146 · locas[highest,r=64]"), links it to its experiment's section of the comparison page, and
     * attaches parameters from {@link org.locasbench.results.MethodInfo#asParameters()}, the JSON and the SVG (when
     * not null).
     */
    static void attach(Result result, String svg) {
        String experiment = Metrics.Experiments.title(result.experiment());
        String method = result.method().variant() != null ? result.method().variant() : result.method().label();
        String unit = Metrics.Experiments.unitTitle(result.experiment(), result.unit());
        Allure.epic(experiment);
        Allure.feature(method);
        Allure.story(unit);
        Allure.getLifecycle().updateTestCase(t -> t.setName(experiment + " · " + unit + " · " + method));
        Allure.link("comparison page: " + experiment, COMPARISON_PAGE + "#" + result.experiment());
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
