package org.locasbench.reports;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The accepted baselines ({@code reports/baselines/<experiment>.json}) as specs by result name and metric: what the
 * regression gate checks a run against, and what the trend charts draw as a line with its tolerance band.
 */
public record Baselines(Map<String, Map<String, Spec>> byResult) {

    /**
     * One tracked metric of one result.
     *
     * @param experiment the baseline file's experiment
     * @param value the accepted value
     * @param better "lower" or "higher"
     * @param tolerance relative (a fraction of {@code value}) or absolute
     * @param relative whether {@code tolerance} is relative
     */
    public record Spec(String experiment, double value, String better, double tolerance, boolean relative) {
        /** How far the value may move either way and still be noise. */
        public double allowed() {
            return relative ? Math.abs(value) * tolerance : tolerance;
        }

        /** {@link BaselineGate#status} of {@code current} against this baseline. */
        public BaselineGate.Status judge(double current) {
            return BaselineGate.status(value, current, tolerance, relative, better);
        }

        /** {@code ± 2.0%} or {@code ± 0.050}. */
        public String toleranceText() {
            return relative ? String.format("± %.1f%%", tolerance * 100) : String.format("± %.3f", tolerance);
        }
    }

    public static Baselines none() {
        return new Baselines(Map.of());
    }

    /** Every {@code *.json} of {@code dir} (none when the folder is missing), in file-name order. */
    public static Baselines load(Path dir) throws IOException {
        Map<String, Map<String, Spec>> out = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return new Baselines(out);
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode base = BaselineGate.JSON.readTree(f.toFile());
                String experiment = base.get("experiment").asText();
                for (Map.Entry<String, JsonNode> result : base.get("results").properties()) {
                    Map<String, Spec> metrics = out.computeIfAbsent(result.getKey(), k -> new LinkedHashMap<>());
                    for (Map.Entry<String, JsonNode> metric : result.getValue().properties()) {
                        JsonNode spec = metric.getValue();
                        metrics.put(metric.getKey(), new Spec(experiment, spec.get("value").asDouble(),
                                spec.get("better").asText(), spec.get("tolerance").asDouble(),
                                spec.path("relative").asBoolean(true)));
                    }
                }
            }
        }
        return new Baselines(out);
    }

    /** The spec of {@code metric} of result {@code result}, or null when it is not tracked. */
    public Spec of(String result, String metric) {
        Map<String, Spec> m = byResult.get(result);
        return m == null ? null : m.get(metric);
    }
}
