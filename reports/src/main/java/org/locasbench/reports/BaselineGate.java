package org.locasbench.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.locasbench.results.Metrics;
import org.locasbench.results.Metrics.Experiments;
import org.locasbench.results.Result;

/**
 * Compares a run's metrics with the accepted baselines ({@code reports/baselines/<experiment>.json}) and fails on a
 * regression. Each tracked metric has a direction (lower or higher is better) and a tolerance (relative or absolute);
 * moving the wrong way by more than the tolerance is a regression, the right way an improvement (reported, not an
 * error), anything else noise. A tracked result that is missing from the run is an error too.
 */
public final class BaselineGate {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What is tracked by default for each experiment: metric, better, tolerance, relative? */
    record Tracked(String metric, String better, double tolerance, boolean relative) {}

    static final Map<String, List<Tracked>> DEFAULTS = Map.of(
            Experiments.PG19, List.of(new Tracked(Metrics.PPL, "lower", 0.02, true),
                    new Tracked(Metrics.TEMP_LORA_PPL, "lower", 0.02, true)),
            Experiments.ABLATION, List.of(new Tracked(Metrics.PPL, "lower", 0.02, true)),
            Experiments.MMLU, List.of(new Tracked(Metrics.MICRO_ACCURACY, "higher", 0.05, false)),
            Experiments.LOCOMO, List.of(new Tracked(Metrics.OVERALL_F1, "higher", 0.05, false)));

    public enum Status { OK, IMPROVED, REGRESSED, MISSING }

    public record Row(String experiment, String result, String metric, double baseline, double current,
            double tolerance, boolean relative, String better, Status status) {
        double delta() {
            return current - baseline;
        }
    }

    private BaselineGate() {}

    public static List<Row> compare(Path baselinesDir, ResultSet results) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (var entry : Baselines.load(baselinesDir).byResult().entrySet()) {
            for (var metric : entry.getValue().entrySet()) {
                Baselines.Spec spec = metric.getValue();
                Result current = results.of(spec.experiment()).stream().filter(r -> r.name().equals(entry.getKey()))
                        .findFirst().orElse(null);
                double value = current == null ? Double.NaN : current.value(metric.getKey()).orElse(Double.NaN);
                rows.add(judge(spec.experiment(), entry.getKey(), metric.getKey(), spec.value(), value,
                        spec.tolerance(), spec.relative(), spec.better()));
            }
        }
        return rows;
    }

    static Row judge(String experiment, String result, String metric, double baseline, double current,
            double tolerance, boolean relative, String better) {
        return new Row(experiment, result, metric, baseline, current, tolerance, relative, better,
                status(baseline, current, tolerance, relative, better));
    }

    /** MISSING for NaN; REGRESSED / IMPROVED beyond the tolerance the wrong / right way; OK within it. */
    static Status status(double baseline, double current, double tolerance, boolean relative, String better) {
        if (Double.isNaN(current)) {
            return Status.MISSING;
        }
        double allowed = relative ? Math.abs(baseline) * tolerance : tolerance;
        double worse = better.equals("lower") ? current - baseline : baseline - current;
        return worse > allowed ? Status.REGRESSED : worse < -allowed ? Status.IMPROVED : Status.OK;
    }

    public static boolean failed(List<Row> rows) {
        return rows.stream().anyMatch(r -> r.status() == Status.REGRESSED || r.status() == Status.MISSING);
    }

    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder(String.format("%-10s %-40s %-16s %12s %12s %10s %12s  %s%n",
                "experiment", "result", "metric", "baseline", "current", "delta", "tolerance", "status"));
        for (Row r : rows) {
            sb.append(String.format("%-10s %-40s %-16s %12.4f %12.4f %+10.4f %12s  %s%n", r.experiment(), r.result(),
                    r.metric(), r.baseline(), r.current(), r.delta(), (r.relative() ? String.format("%.1f%%",
                            r.tolerance() * 100) : String.format("%.3f", r.tolerance())) + " " + r.better(),
                    r.status()));
        }
        return sb.toString();
    }

    /** Writes the run's tracked metrics as the new baselines (keeping tolerances already chosen), one file per experiment. */
    public static List<Path> accept(Path baselinesDir, ResultSet results, String commit) throws IOException {
        Files.createDirectories(baselinesDir);
        List<Path> written = new ArrayList<>();
        for (var e : results.byExperiment().entrySet()) {
            List<Tracked> tracked = DEFAULTS.get(e.getKey());
            if (tracked == null) {
                continue;
            }
            Path file = baselinesDir.resolve(e.getKey() + ".json");
            JsonNode old = Files.exists(file) ? JSON.readTree(file.toFile()) : null;
            ObjectNode out = JSON.createObjectNode().put("experiment", e.getKey()).put("accepted_commit", commit);
            ObjectNode res = out.putObject("results");
            for (Result r : e.getValue()) {
                ObjectNode metrics = res.putObject(r.name());
                for (Tracked t : tracked) {
                    OptionalDouble value = r.value(t.metric());
                    if (value.isEmpty()) {
                        continue;
                    }
                    double v = value.getAsDouble();
                    JsonNode previous = old == null ? null : old.path("results").path(r.name()).path(t.metric());
                    metrics.putObject(t.metric()).put("value", v).put("better", t.better())
                            .put("tolerance", previous != null && previous.has("tolerance")
                                    ? previous.get("tolerance").asDouble() : t.tolerance())
                            .put("relative", previous != null && previous.has("relative")
                                    ? previous.get("relative").asBoolean() : t.relative());
                }
            }
            JSON.writeValue(file.toFile(), out);
            written.add(file);
        }
        return written;
    }
}
