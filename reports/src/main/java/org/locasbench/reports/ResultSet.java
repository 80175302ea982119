package org.locasbench.reports;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.locasbench.results.Result;
import org.locasbench.results.ResultFiles;

/**
 * The results (schema {@value Result#SCHEMA_VERSION}, read by {@link ResultFiles}) found under some directories,
 * grouped by experiment. A results file of another schema, or one that does not parse, is an error naming the file.
 */
public record ResultSet(Map<String, List<Result>> byExperiment) {

    public static ResultSet load(List<Path> roots) {
        Map<String, List<Result>> out = new TreeMap<>();
        for (Path root : roots) {
            for (Result r : ResultFiles.readDirectory(root)) {
                out.computeIfAbsent(r.experiment(), k -> new ArrayList<>()).add(r);
            }
        }
        return new ResultSet(out);
    }

    public List<Result> of(String experiment) {
        return byExperiment.getOrDefault(experiment, List.of());
    }
}
