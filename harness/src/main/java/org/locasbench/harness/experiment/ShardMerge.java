package org.locasbench.harness.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.locasbench.model.ModelFormatException;
import org.locasbench.results.HistoryRecord;
import org.locasbench.results.MetricHistory;
import org.locasbench.results.Result;
import org.locasbench.results.ResultFiles;

/**
 * Combines the results directories of several shards ({@code run --shard i/n}) into one report. Each directory's
 * {@link Report#SHARD_FILE} says which shard it is: every index of 0..n-1 must appear exactly once. The shards'
 * metric-history records ({@link Report#HISTORY_FILE}, each with the machine that ran it) are gathered, and Allure
 * results a CI job copied into a shard's {@code allure-results/} folder are gathered into the output's.
 */
public final class ShardMerge {
    public static final String ALLURE_RESULTS = "allure-results";

    private ShardMerge() {}

    public static Report merge(List<Path> dirs) {
        List<Result> results = new ArrayList<>();
        List<HistoryRecord> history = new ArrayList<>();
        Map<String, Path> seen = new HashMap<>();
        Map<Integer, Path> shards = new HashMap<>();
        Integer count = null;
        ExperimentKind kind = null;
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                throw new ModelFormatException(dir, "not a results directory; pass the --out folders of `run --shard`");
            }
            Path manifest = dir.resolve(Report.SHARD_FILE);
            if (!Files.isRegularFile(manifest)) {
                throw new ModelFormatException(manifest, "missing: this folder was not written by `run` (or is "
                        + "incomplete); pass the --out folders of `run --shard i/n`");
            }
            JsonNode m = readManifest(manifest);
            int index = m.path("index").asInt(-1);
            int n = m.path("count").asInt(-1);
            if (count != null && n != count) {
                throw new ModelFormatException(manifest, "is shard " + index + "/" + n + " but the others are of "
                        + count + " shards; merge the shards of one run");
            }
            count = n;
            Path earlierShard = shards.putIfAbsent(index, dir);
            if (earlierShard != null) {
                throw new ModelFormatException(manifest, "shard " + index + "/" + n + " is also " + earlierShard
                        + "; the same shard was given twice");
            }
            Path historyFile = dir.resolve(Report.HISTORY_FILE);
            if (Files.isRegularFile(historyFile)) {
                try {
                    history.addAll(MetricHistory.read(historyFile)); // its own machine per shard, as recorded there
                } catch (IllegalArgumentException e) {
                    throw new ModelFormatException(historyFile, e.getMessage() + "; re-run that shard");
                }
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
                            + "' is also in " + earlier + "; two shards ran the same unit");
                }
                results.add(r);
            }
        }
        if (kind == null) {
            throw new IllegalArgumentException("no results files found in " + dirs);
        }
        TreeSet<Integer> missing = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            if (!shards.containsKey(i)) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("shards " + missing + " of " + count + " are missing; pass every "
                    + "shard's results directory");
        }
        return new Report(kind, results, kind.plots(results), kind.table(results), Shard.ALL, history);
    }

    /** Copies every shard's {@code allure-results/} files into {@code out/allure-results/}; returns how many. */
    public static int mergeAllureResults(List<Path> dirs, Path out) throws IOException {
        int copied = 0;
        for (Path dir : dirs) {
            Path from = dir.resolve(ALLURE_RESULTS);
            if (!Files.isDirectory(from)) {
                continue;
            }
            Path to = Files.createDirectories(out.resolve(ALLURE_RESULTS));
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    copied++;
                }
            }
        }
        return copied;
    }

    private static JsonNode readManifest(Path manifest) {
        try {
            return new ObjectMapper().readTree(manifest.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(manifest, "not valid JSON (" + e.getMessage().lines().findFirst()
                    .orElse("") + "); re-run that shard");
        }
    }
}
