package org.locasbench.harness.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The result records of one experiment run (one JSON per unit x method), their plots, and a summary table. */
public record ExperimentReport(String experiment, List<ObjectNode> results, Map<String, String> plots,
        String table) {

    /** Writes each result as {@code <dir>/<name>.json} and each plot as {@code <dir>/<name>.svg}; returns the files. */
    public List<Path> write(Path dir) throws IOException {
        ResultsWriter writer = new ResultsWriter(dir);
        List<Path> files = new ArrayList<>();
        for (ObjectNode r : results) {
            files.add(writer.write(r.get("name").asText(), r));
        }
        for (Map.Entry<String, String> p : plots.entrySet()) {
            if (p.getValue() != null) { // null: this host cannot draw (CurvePlot.canDraw)
                files.add(writer.writeSvg(p.getKey(), p.getValue()));
            }
        }
        return files;
    }

    public ObjectNode result(String name) {
        return results.stream().filter(r -> r.get("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no result named " + name));
    }
}
