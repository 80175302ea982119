package org.locasbench.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.locasbench.harness.experiment.ExperimentReport;
import org.locasbench.harness.experiment.Experiments;
import org.locasbench.model.JsonFields;
import org.locasbench.model.ModelFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Combine the results directories of several shards (--shard i/n) into one report.")
public final class MergeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", arity = "1..*", description = "Results directories written by `run --shard`.")
    List<Path> dirs;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory for the merged report.")
    Path out;

    @Override
    public Integer call() throws Exception {
        new OutputCheck().directory("--out", out);
        checkShards(dirs);
        ExperimentReport report = Experiments.merge(dirs);
        for (var r : report.results()) {
            FiniteResults.require(r, "result " + r.path("name").asText());
        }
        var files = report.write(out);
        System.out.print(report.table());
        System.out.println("merged " + report.results().size() + " results from " + dirs.size() + " directories into "
                + out + " (" + files.size() + " files)");
        return 0;
    }

    /**
     * Before merging: every directory exists and is given once, every results file parses, and no result (by name)
     * comes twice, which the same shard given twice (or overlapping shards) would otherwise turn into one result
     * written over another.
     */
    static void checkShards(List<Path> dirs) throws IOException {
        Map<Path, Path> given = new HashMap<>();
        Map<String, Path> results = new HashMap<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                throw new ModelFormatException(dir, Files.exists(dir) ? "is a file, not a results directory"
                        : "no such results directory; pass the --out directories of `run --shard i/n`");
            }
            Path real = dir.toRealPath();
            Path before = given.put(real, dir);
            if (before != null) {
                throw new IllegalArgumentException("merge: " + dir + " is given twice" + (before.equals(dir) ? ""
                        : " (also as " + before + ")") + "; pass each shard's directory once");
            }
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            }
            for (Path f : files) {
                String name = resultName(f);
                Path other = results.put(name, f);
                if (other != null) {
                    throw new ModelFormatException(f, "holds result '" + name + "', as " + other + " does; the same "
                            + "shard was given twice or two shards overlap: pass each shard's directory once");
                }
            }
        }
    }

    private static String resultName(Path f) {
        JsonNode r;
        try {
            r = JsonOutput.JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(f, "not a readable results file (" + JsonFields.describe(e) + "); run "
                    + "that shard again or remove the file");
        }
        if (r == null || !r.isObject() || !r.path("name").isTextual()) {
            throw new ModelFormatException(f, "not a results file of `run` (no 'name'); remove it from the directory");
        }
        return r.get("name").asText();
    }
}
