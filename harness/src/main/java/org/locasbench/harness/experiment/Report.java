package org.locasbench.harness.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.locasbench.model.AtomicFiles;
import org.locasbench.results.Result;
import org.locasbench.results.ResultFiles;

/**
 * The results of one experiment run (one per unit x method), their plots (SVG by name), a summary table, and which
 * shard of the units produced them.
 */
public record Report(ExperimentKind kind, List<Result> results, Map<String, String> plots, String table,
        Shard shard) {
    /** The shard manifest beside the results: experiment, index, count, result names; {@code merge} checks it. */
    public static final String SHARD_FILE = "shard.json";

    /**
     * Writes each result as {@code <dir>/<name>.json}, each plot as {@code <dir>/<name>.svg} and the shard manifest;
     * returns the files.
     */
    public List<Path> write(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Result r : results) {
            files.add(ResultFiles.write(dir, r));
        }
        for (Map.Entry<String, String> p : plots.entrySet()) {
            if (p.getValue() != null) { // null: this host cannot draw (CurvePlot.canDraw)
                files.add(ResultFiles.writeSvg(dir, p.getKey(), p.getValue()));
            }
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode manifest = json.createObjectNode().put("experiment", kind.id()).put("index", shard.index())
                .put("count", shard.count());
        var names = manifest.putArray("results");
        results.forEach(r -> names.add(r.name()));
        Path file = dir.resolve(SHARD_FILE);
        AtomicFiles.write(file, o -> json.writerWithDefaultPrettyPrinter().writeValue(o, manifest));
        files.add(file);
        return files;
    }
}
