package org.locasbench.harness.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.locasbench.model.AtomicFiles;
import org.locasbench.results.HistoryRecord;
import org.locasbench.results.MetricHistory;
import org.locasbench.results.Result;
import org.locasbench.results.ResultFiles;

/**
 * The results of one experiment run (one per unit x method), their plots (SVG by name), a summary table, which
 * shard of the units produced them, and their metric-history records (headline metrics with commit, date, machine
 * and config hash: what the comparison page's trend charts read).
 */
public record Report(ExperimentKind kind, List<Result> results, Map<String, String> plots, String table,
        Shard shard, List<HistoryRecord> history) {
    /** The shard manifest beside the results: experiment, index, count, result names; {@code merge} checks it. */
    public static final String SHARD_FILE = "shard.json";
    /** This run's metric-history records beside the results (JSON lines); {@code merge} gathers the shards'. */
    public static final String HISTORY_FILE = "metric-history.jsonl";

    /** A report whose history records are made here, from the results, on this host. */
    public Report(ExperimentKind kind, List<Result> results, Map<String, String> plots, String table, Shard shard) {
        this(kind, results, plots, table, shard, MetricHistory.recordsOf(results, MetricHistory.localHost()));
    }

    /**
     * Writes each result as {@code <dir>/<name>.json}, each plot as {@code <dir>/<name>.svg}, the history records
     * ({@link #HISTORY_FILE}) and the shard manifest (last: a folder without it is incomplete); returns the files.
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
        if (!history.isEmpty()) {
            Path historyFile = dir.resolve(HISTORY_FILE);
            StringBuilder lines = new StringBuilder();
            history.forEach(h -> lines.append(MetricHistory.toLine(h)).append('\n'));
            AtomicFiles.write(historyFile, o -> o.write(lines.toString().getBytes(StandardCharsets.UTF_8)));
            files.add(historyFile);
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
