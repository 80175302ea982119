package org.locasbench.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The results JSON files (schema_version 1) found under some directories, grouped by experiment. */
public record ResultSet(Map<String, List<JsonNode>> byExperiment) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static ResultSet load(List<Path> roots) {
        Map<String, List<JsonNode>> out = new TreeMap<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    JsonNode n = JSON.readTree(f.toFile());
                    if (n.path("schema_version").asInt() == 1 && n.has("experiment") && n.has("metrics")) {
                        out.computeIfAbsent(n.get("experiment").asText(), k -> new ArrayList<>()).add(n);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read results under " + root, e);
            }
        }
        return new ResultSet(out);
    }

    public List<JsonNode> of(String experiment) {
        return byExperiment.getOrDefault(experiment, List.of());
    }

    /** A metric by dotted path inside "metrics", e.g. "ppl" or "f1_by_category.temporal"; NaN when absent. */
    public static double metric(JsonNode result, String path) {
        JsonNode n = result.get("metrics");
        for (String part : path.split("\\.")) {
            n = n == null ? null : n.get(part);
        }
        return n == null || !n.isNumber() ? Double.NaN : n.asDouble();
    }
}
