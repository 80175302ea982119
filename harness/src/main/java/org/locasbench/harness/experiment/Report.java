package org.locasbench.harness.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.locasbench.results.Result;
import org.locasbench.results.ResultFiles;

/** The results of one experiment run (one per unit x method), their plots (SVG by name) and a summary table. */
public record Report(ExperimentKind kind, List<Result> results, Map<String, String> plots, String table) {

    /** Writes each result as {@code <dir>/<name>.json} and each plot as {@code <dir>/<name>.svg}; returns the files. */
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
        return files;
    }
}
