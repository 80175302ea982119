package org.locasbench.harness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.locasbench.harness.experiment.ConfigLoader;
import org.locasbench.harness.experiment.ExperimentConfig;
import org.locasbench.harness.experiment.ExperimentReport;
import org.locasbench.harness.experiment.Experiments;
import org.locasbench.harness.experiment.ModelSession;
import org.locasbench.harness.experiment.Shard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run an experiment (pg19, locomo, mmlu, ablation) over its methods, print a summary table and "
                + "write one results JSON per unit x method (plus plots).")
public final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "pg19, locomo, mmlu or ablation.")
    String experiment;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML or JSON config; keys as in the defaults.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one config key (lists comma-separated); "
            + "repeatable. Also -Dlocas.set.KEY=VALUE.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--shard", paramLabel = "I/N", defaultValue = "0/1",
            description = "Run only the units with index %% N == I (0-based); combine shards with `merge`.")
    String shard;

    @Option(names = "--out", paramLabel = "DIR", description = "Results directory (default target/results/EXPERIMENT).")
    Path out;

    @Option(names = "--print-config", description = "Print the effective config and exit.")
    boolean printConfig;

    @Option(names = "--resume", description = "Continue interrupted runs from their checkpoints (needs checkpointDir).")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        Path dir = out != null ? out : Path.of("target", "results", experiment);
        OutputCheck check = new OutputCheck();
        if (!printConfig) {
            check.directory(out != null ? "--out" : "the results directory", dir);
        }
        List<String> all = new ArrayList<>(overrides);
        if (resume) {
            all.add("resume=true");
        }
        ExperimentConfig c = ConfigLoader.load(experiment, config, all, System.getProperties());
        if (c.resume() && c.checkpointDir() == null) {
            throw new IllegalArgumentException("--resume needs a checkpointDir (--set checkpointDir=DIR)");
        }
        if (printConfig) {
            JsonOutput.emit(JsonOutput.JSON.valueToTree(c), null);
            return 0;
        }
        check.directory("checkpointDir", c.checkpointDir() == null ? null : Path.of(c.checkpointDir()));
        for (String device : c.devices()) {
            ModelSession.parseDevice(device); // the devices exist, before any data or model is read
        }
        ExperimentReport report = Experiments.run(c, Shard.parse(shard));
        for (var r : report.results()) {
            FiniteResults.require(r, "result " + r.path("name").asText()); // none written unless all are finite
        }
        var files = report.write(dir);
        System.out.println();
        System.out.print(report.table());
        System.out.println("wrote " + files.size() + " files to " + dir);
        return 0;
    }
}
