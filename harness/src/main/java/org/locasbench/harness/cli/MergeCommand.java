package org.locasbench.harness.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.locasbench.harness.experiment.Report;
import org.locasbench.harness.experiment.ShardMerge;
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
        Report report = ShardMerge.merge(dirs);
        var files = report.write(out);
        int allure = ShardMerge.mergeAllureResults(dirs, out);
        System.out.print(report.table());
        System.out.println("merged " + report.results().size() + " results from " + dirs.size() + " directories into "
                + out + " (" + files.size() + " files" + (allure > 0 ? ", " + allure + " Allure results" : "") + ")");
        return HistoryAppend.toUserHistory(report.history());
    }
}
