package org.locasbench.harness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.locasbench.harness.config.ConfigLoader;
import org.locasbench.harness.config.ConfigLoader.Setting;
import org.locasbench.harness.experiment.ExperimentKind;
import org.locasbench.harness.experiment.ExperimentRunner;
import org.locasbench.harness.experiment.Report;
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

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML or JSON config; sections and keys as in experiments/common.yaml and NAME.yaml.")
    Path config;

    @Option(names = "--set", paramLabel = "SECTION.KEY=VALUE", description = "Override one config key (e.g. "
            + "window.size=1024, run.devices=gpu:0,gpu:1; lists comma-separated); repeatable. Also "
            + "-Dlocas.set.SECTION.KEY=VALUE.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--shard", paramLabel = "I/N|auto", defaultValue = "0/1",
            description = "Run only the units with index %% N == I (0-based); auto: I from LOCAS_SHARD_INDEX or "
                    + "JOB_COMPLETION_INDEX, N from LOCAS_SHARD_COUNT. Combine shards with `merge`.")
    String shard;

    @Option(names = "--out", paramLabel = "DIR", description = "Results directory (default target/results/EXPERIMENT).")
    Path out;

    @Option(names = "--print-config", description = "Print the effective config and exit.")
    boolean printConfig;

    @Option(names = "--resume", description = "Continue interrupted runs from their checkpoints (needs "
            + "reliability.checkpointDir).")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        Path dir = out != null ? out : Path.of("target", "results", experiment);
        OutputCheck check = new OutputCheck();
        if (!printConfig) {
            check.directory(out != null ? "--out" : "the results directory", dir);
        }
        ExperimentKind kind = ExperimentKind.parse(experiment);
        List<Setting> settings = new ArrayList<>();
        overrides.forEach(o -> settings.add(Setting.parse(o, "--set")));
        if (resume) {
            settings.add(new Setting("reliability.resume", "true", "--resume"));
        }
        ConfigLoader.Layers layers = ConfigLoader.load(kind.id(), kind.sections(), config, settings,
                System.getProperties());
        var e = kind.create(layers);
        if (printConfig) {
            JsonOutput.emit(layers.tree(), null);
            return 0;
        }
        String checkpoints = layers.common().reliability().checkpointDir();
        check.directory("reliability.checkpointDir", checkpoints == null ? null : Path.of(checkpoints));
        Report report = ExperimentRunner.run(e, layers.common().run(), Shard.parse(shard));
        var files = report.write(dir);
        System.out.println();
        System.out.print(report.table());
        System.out.println("wrote " + files.size() + " files to " + dir);
        if (report.shard().count() == 1) {
            return HistoryAppend.toUserHistory(report.history());
        }
        System.out.println("metric history: " + report.history().size() + " records in " + dir.resolve(
                Report.HISTORY_FILE) + "; `merge` adds the shards' to the history");
        return 0;
    }
}
