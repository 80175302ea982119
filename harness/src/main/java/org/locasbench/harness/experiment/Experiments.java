package org.locasbench.harness.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.locasbench.model.ModelFormatException;

/** Dispatch from an experiment name to its protocol, and merging of shard results. */
public final class Experiments {
    public static final List<String> NAMES = List.of("pg19", "locomo", "mmlu", "ablation");

    private Experiments() {}

    public static ExperimentReport run(ExperimentConfig c, Shard shard) throws Exception {
        return switch (c.experiment()) {
            case "pg19", "ablation" -> StreamingExperiment.run(c, shard);
            case "mmlu" -> MmluExperiment.run(c, shard);
            case "locomo" -> LocomoExperiment.run(c, shard);
            default -> throw new IllegalArgumentException("unknown experiment '" + c.experiment() + "'; use " + NAMES);
        };
    }

    /** Combines the result files of several shards (directories) into one report. */
    public static ExperimentReport merge(List<Path> dirs) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<ObjectNode> results = new ArrayList<>();
        String experiment = null;
        for (Path dir : dirs) {
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            }
            for (Path f : files) {
                ObjectNode r = (ObjectNode) json.readTree(f.toFile());
                if (r.path("schema_version").asInt() != ResultsWriter.SCHEMA_VERSION || !r.has("experiment")) {
                    throw new ModelFormatException(f, "not a results file of schema version "
                            + ResultsWriter.SCHEMA_VERSION);
                }
                if (experiment != null && !experiment.equals(r.get("experiment").asText())) {
                    throw new ModelFormatException(f, "belongs to experiment '" + r.get("experiment").asText()
                            + "', the others to '" + experiment + "'; merge one experiment at a time");
                }
                experiment = r.get("experiment").asText();
                results.add(r);
            }
        }
        if (experiment == null) {
            throw new IllegalArgumentException("no results files found in " + dirs);
        }
        Map<String, String> plots = new LinkedHashMap<>();
        String table;
        if (experiment.equals("pg19") || experiment.equals("ablation")) {
            ExperimentConfig c = json.treeToValue(results.get(0).get("config"), ExperimentConfig.class);
            results.stream().map(r -> r.get("unit").asText()).distinct().forEach(book ->
                    plots.put(c.experiment() + "-" + book + "-curves", StreamingExperiment.plot(c, book, results)));
            table = SummaryTable.streaming(results);
        } else if (experiment.equals("mmlu")) {
            table = MmluExperiment.table(results);
        } else {
            table = LocomoExperiment.table(results);
        }
        return new ExperimentReport(experiment, results, plots, table);
    }
}
