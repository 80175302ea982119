package org.locasbench.harness.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.locasbench.model.ModelFormatException;
import org.locasbench.results.Result;
import org.locasbench.results.ResultFiles;

/** Combines the results directories of several shards ({@code run --shard i/n}) into one report. */
public final class ShardMerge {
    private ShardMerge() {}

    /** Refuses a missing directory, results of two experiments, and the same result twice (a shard given twice). */
    public static Report merge(List<Path> dirs) {
        List<Result> results = new ArrayList<>();
        Map<String, Path> seen = new HashMap<>();
        ExperimentKind kind = null;
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                throw new ModelFormatException(dir, "not a results directory; pass the --out folders of `run --shard`");
            }
            for (Result r : ResultFiles.readDirectory(dir)) {
                ExperimentKind k = ExperimentKind.parse(r.experiment());
                if (kind != null && k != kind) {
                    throw new ModelFormatException(dir.resolve(r.name() + ".json"), "belongs to experiment '"
                            + r.experiment() + "', the others to '" + kind.id() + "'; merge one experiment at a time");
                }
                kind = k;
                Path earlier = seen.putIfAbsent(r.name(), dir);
                if (earlier != null) {
                    throw new ModelFormatException(dir.resolve(r.name() + ".json"), "result '" + r.name()
                            + "' is also in " + earlier + "; the same shard was given twice");
                }
                results.add(r);
            }
        }
        if (kind == null) {
            throw new IllegalArgumentException("no results files found in " + dirs);
        }
        return new Report(kind, results, kind.plots(results), kind.table(results));
    }
}
