package org.locasbench.results;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One experiment result: one unit (book, conversation, subject set) x one method. The same schema for every
 * experiment; what differs is which keys ({@link Metrics}) appear in the maps. Immutable; every number is finite
 * (a NaN or infinity is refused here, naming the metric, so none is ever written).
 *
 * @param schemaVersion {@link #SCHEMA_VERSION}
 * @param experiment {@link Metrics.Experiments}: pg19, ablation, mmlu, locomo
 * @param name unique within the experiment; the file name without {@code .json} ({@link #nameOf})
 * @param unit the work unit: PG-19 book id, LoCoMo sample id, MMLU's comma-joined subjects
 * @param method what ran
 * @param metrics scalar metrics by name ({@link Metrics}); counts are stored as doubles
 * @param breakdowns keyed metrics by name ({@link Metrics.Breakdowns}): ppl at marks, accuracy per subject, F1 per
 *     category
 * @param series per-window values by name ({@link Metrics.Series}), aligned by index; null elements where a value is
 *     missing (e.g. no training loss)
 * @param answers per-question answers (MMLU, LoCoMo), in evaluation order; empty for the streaming experiments
 * @param environment commit, time, hardware, library versions
 * @param config the experiment's full config as it ran (a JSON object)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"schema_version", "experiment", "name", "unit", "method", "metrics", "breakdowns", "series",
        "answers", "environment", "config"})
public record Result(int schemaVersion, String experiment, String name, String unit, MethodInfo method,
        Map<String, Double> metrics, Map<String, Map<String, Double>> breakdowns, Map<String, List<Double>> series,
        List<Answer> answers, Environment environment, JsonNode config) {

    /** 2: typed, one layout for every experiment (locas-bench 0.2). 1 was the per-experiment trees before it. */
    public static final int SCHEMA_VERSION = 2;

    public Result {
        if (schemaVersion != SCHEMA_VERSION) {
            throw new IllegalArgumentException("results schema " + schemaVersion + " is not supported; this build "
                    + "reads and writes schema " + SCHEMA_VERSION);
        }
        Checks.requiredText(experiment, "experiment");
        Checks.requiredText(name, "name");
        Checks.required(unit, "unit");
        Checks.required(method, "method");
        String of = "result '" + name + "': ";
        metrics = Checks.finiteMap(metrics, "metrics", of + "metric");
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException(of + "field 'metrics' is empty; a result has at least one metric");
        }
        Map<String, Map<String, Double>> b = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Double>> e : Checks.required(breakdowns, "breakdowns").entrySet()) {
            b.put(e.getKey(), Checks.finiteMap(e.getValue(), "breakdowns." + e.getKey(),
                    of + "breakdown '" + e.getKey() + "'"));
        }
        breakdowns = Collections.unmodifiableMap(b);
        Map<String, List<Double>> s = new LinkedHashMap<>();
        for (Map.Entry<String, List<Double>> e : Checks.required(series, "series").entrySet()) {
            List<Double> values = new ArrayList<>(Checks.required(e.getValue(), "series." + e.getKey()));
            for (int i = 0; i < values.size(); i++) {
                Checks.finiteOrNull(values.get(i), of + "series '" + e.getKey() + "'[" + i + "]");
            }
            s.put(e.getKey(), Collections.unmodifiableList(values));
        }
        series = Collections.unmodifiableMap(s);
        answers = Checks.list(answers, "answers");
        Checks.required(environment, "environment");
        if (Checks.required(config, "config").isMissingNode() || config.isNull()) {
            throw new IllegalArgumentException("missing field 'config'");
        }
        if (!config.isObject()) {
            throw new IllegalArgumentException("field 'config' must be a JSON object, not " + config.getNodeType());
        }
        config = config.deepCopy();
    }

    /** A new result of {@code experiment} named {@code name} (see {@link #nameOf}) for {@code unit}. */
    public static Builder builder(String experiment, String name, String unit) {
        return new Builder(experiment, name, unit);
    }

    /**
     * A result name from parts, each made file-safe (runs of characters other than {@code A-Za-z0-9_.-} become one
     * {@code -}, trailing {@code -} dropped) and joined with {@code -}: {@code nameOf("pg19", "10146",
     * "locas[highest,r=64]")} is {@code pg19-10146-locas-highest-r-64}.
     */
    public static String nameOf(String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            String safe = p.replaceAll("[^A-Za-z0-9_.-]+", "-").replaceAll("-+$", "");
            if (sb.length() > 0) {
                sb.append('-');
            }
            sb.append(safe);
        }
        return sb.toString();
    }

    /** A scalar metric, empty when this result does not have it. */
    public OptionalDouble metric(String name) {
        Double v = metrics.get(name);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** A scalar metric, or {@code fallback} (e.g. NaN for display) when absent. */
    public double metricOr(String name, double fallback) {
        Double v = metrics.get(name);
        return v == null ? fallback : v;
    }

    /** A scalar metric that must be there. */
    public double requireMetric(String name) {
        Double v = metrics.get(name);
        if (v == null) {
            throw new IllegalArgumentException("result '" + this.name + "' has no metric '" + name + "'");
        }
        return v;
    }

    /** A breakdown (empty map when absent). */
    public Map<String, Double> breakdown(String name) {
        return breakdowns.getOrDefault(name, Map.of());
    }

    /** A series (empty list when absent); elements may be null. */
    public List<Double> series(String name) {
        return series.getOrDefault(name, List.of());
    }

    /**
     * A metric ({@code ppl}) or a breakdown entry ({@code f1_by_category.temporal}: breakdown, dot, key); empty when
     * absent. This is how the baselines name what they track.
     */
    public OptionalDouble value(String path) {
        if (metrics.containsKey(path)) {
            return metric(path);
        }
        int dot = path.indexOf('.');
        if (dot > 0) {
            Double v = breakdown(path.substring(0, dot)).get(path.substring(dot + 1));
            if (v != null) {
                return OptionalDouble.of(v);
            }
        }
        return OptionalDouble.empty();
    }

    /** This result with one metric added or replaced (e.g. {@link Metrics#WALL_RELATIVE_TO_NONE} after the unit). */
    public Result withMetric(String name, double value) {
        Map<String, Double> m = new LinkedHashMap<>(metrics);
        m.put(name, value);
        return new Result(schemaVersion, experiment, this.name, unit, method, m, breakdowns, series, answers,
                environment, config);
    }

    /** Collects a result; {@link #build} checks it. Maps keep insertion order, which is the order written. */
    public static final class Builder {
        private static final ObjectMapper TREES = new ObjectMapper();
        private final String experiment;
        private final String name;
        private final String unit;
        private MethodInfo method;
        private final Map<String, Double> metrics = new LinkedHashMap<>();
        private final Map<String, Map<String, Double>> breakdowns = new LinkedHashMap<>();
        private final Map<String, List<Double>> series = new LinkedHashMap<>();
        private final List<Answer> answers = new ArrayList<>();
        private Environment environment;
        private JsonNode config;

        private Builder(String experiment, String name, String unit) {
            this.experiment = experiment;
            this.name = name;
            this.unit = unit;
        }

        public Builder method(MethodInfo method) {
            this.method = method;
            return this;
        }

        /** A scalar metric ({@link Metrics}); counts pass as doubles. Refuses NaN / infinity, naming the metric. */
        public Builder metric(String metric, double value) {
            metrics.put(metric, Checks.finite(value, "result '" + name + "': metric '" + metric + "'"));
            return this;
        }

        /** One entry of a breakdown ({@link Metrics.Breakdowns}), e.g. ({@code ppl_at}, {@code "1024"}, 43.2). */
        public Builder breakdown(String breakdown, String key, double value) {
            breakdowns.computeIfAbsent(breakdown, k -> new LinkedHashMap<>()).put(key, Checks.finite(value,
                    "result '" + name + "': breakdown '" + breakdown + "' '" + key + "'"));
            return this;
        }

        /** A whole breakdown; keys are written with {@code String.valueOf} (marks, subjects, categories). */
        public Builder breakdown(String breakdown, Map<?, ? extends Number> values) {
            values.forEach((k, v) -> breakdown(breakdown, String.valueOf(k), v.doubleValue()));
            return this;
        }

        /** Appends to a series ({@link Metrics.Series}); null for a missing value, NaN / infinity refused. */
        public Builder append(String series, Double value) {
            this.series.computeIfAbsent(series, k -> new ArrayList<>()).add(Checks.finiteOrNull(value,
                    "result '" + name + "': series '" + series + "'[" + this.series.getOrDefault(series,
                            List.of()).size() + "]"));
            return this;
        }

        /** A whole series (elements may be null); replaces what was appended. */
        public Builder series(String series, List<Double> values) {
            this.series.remove(series);
            this.series.put(series, new ArrayList<>());
            values.forEach(v -> append(series, v));
            return this;
        }

        public Builder answer(Answer answer) {
            answers.add(answer);
            return this;
        }

        public Builder environment(Environment environment) {
            this.environment = environment;
            return this;
        }

        /** The run's config: a JSON object tree, or any object Jackson serializes (e.g. the config record). */
        public Builder config(Object config) {
            this.config = config instanceof JsonNode n ? n : TREES.valueToTree(config);
            return this;
        }

        public Result build() {
            return new Result(SCHEMA_VERSION, experiment, name, unit, method, metrics, breakdowns, series, answers,
                    environment, config);
        }
    }
}
