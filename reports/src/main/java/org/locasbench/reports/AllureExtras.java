package org.locasbench.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.locasbench.results.Metrics;

/**
 * What the report adds to the test results before Allure generates: the failure categories
 * ({@code allure-categories.json}: regression, non-finite value, bad input) and one Allure test per row of the
 * regression gate, so a metric that moved past its baseline shows in Allure as a failed "Regression gate" test of its
 * experiment (epic), result (feature) and metric (story), linked to the comparison page's gate table.
 */
final class AllureExtras {
    static final String CATEGORIES = "allure-categories.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AllureExtras() {}

    /** Copies the categories into {@code staging/categories.json} (the name Allure reads). */
    static void writeCategories(Path staging) throws IOException {
        try (InputStream in = AllureExtras.class.getResourceAsStream(CATEGORIES)) {
            if (in == null) {
                throw new IllegalStateException(CATEGORIES + " missing from the reports jar");
            }
            Files.write(staging.resolve("categories.json"), in.readAllBytes());
        }
    }

    /** The failure message of a gate row ("regression: ..." / "missing: ..."), or null when it passed. */
    static String message(BaselineGate.Row r) {
        String tolerance = r.relative() ? String.format(Locale.ROOT, "%.1f%%", r.tolerance() * 100)
                : String.format(Locale.ROOT, "%.3f", r.tolerance());
        return switch (r.status()) {
            case REGRESSED -> String.format(Locale.ROOT, "regression: %s of %s moved %.4f -> %.4f (%+.4f; tolerance %s,"
                    + " %s is better)", r.metric(), r.result(), r.baseline(), r.current(), r.delta(), tolerance,
                    r.better());
            case MISSING -> String.format(Locale.ROOT, "missing: %s of %s has an accepted baseline (%.4f) but no "
                    + "value in this run", r.metric(), r.result(), r.baseline());
            case OK, IMPROVED -> null;
        };
    }

    /** One {@code <uuid>-result.json} per gate row in {@code staging}; returns how many failed. */
    static int writeGateResults(Path staging, List<BaselineGate.Row> rows, long time) throws IOException {
        int failed = 0;
        for (BaselineGate.Row r : rows) {
            String message = message(r);
            String experiment = Metrics.Experiments.ALL.contains(r.experiment())
                    ? Metrics.Experiments.title(r.experiment()) : r.experiment();
            String fullName = "regression-gate." + r.result() + "." + r.metric();
            ObjectNode t = JSON.createObjectNode();
            String uuid = UUID.randomUUID().toString();
            t.put("uuid", uuid);
            t.put("historyId", UUID.nameUUIDFromBytes(fullName.getBytes(StandardCharsets.UTF_8)).toString());
            t.put("testCaseId", t.get("historyId").asText());
            t.put("fullName", fullName);
            t.put("name", "Regression gate · " + r.result() + " · " + r.metric());
            t.put("status", message == null ? "passed" : "failed");
            if (message != null) {
                t.putObject("statusDetails").put("message", message);
                failed++;
            }
            t.put("stage", "finished");
            t.put("start", time);
            t.put("stop", time);
            ArrayNode labels = t.putArray("labels");
            label(labels, "epic", experiment);
            label(labels, "feature", "regression gate");
            label(labels, "story", r.result());
            label(labels, "suite", "Regression gate");
            label(labels, "parentSuite", experiment);
            ArrayNode params = t.putArray("parameters");
            param(params, "metric", r.metric());
            param(params, "baseline", String.format(Locale.ROOT, "%.6g", r.baseline()));
            param(params, "current", String.format(Locale.ROOT, "%.6g", r.current()));
            param(params, "status", r.status().name());
            ArrayNode links = t.putArray("links");
            links.addObject().put("name", "comparison page: gate table").put("url", "../comparison/index.html#gate")
                    .put("type", "link");
            JSON.writerWithDefaultPrettyPrinter().writeValue(staging.resolve(uuid + "-result.json").toFile(), t);
        }
        return failed;
    }

    private static void label(ArrayNode labels, String name, String value) {
        labels.addObject().put("name", name).put("value", value);
    }

    private static void param(ArrayNode params, String name, String value) {
        params.addObject().put("name", name).put("value", value);
    }
}
