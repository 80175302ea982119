package org.locasbench.harness.experiment;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.locasbench.harness.config.AblationSettings;
import org.locasbench.harness.config.ConfigLoader;
import org.locasbench.harness.config.LocomoSettings;
import org.locasbench.harness.config.MmluSettings;
import org.locasbench.harness.config.Pg19Settings;
import org.locasbench.results.Metrics;
import org.locasbench.results.Result;
import org.locasbench.results.SummaryTable;

/** The experiments: their names, config sections, protocol classes, tables and plots. */
public enum ExperimentKind {
    PG19(Metrics.Experiments.PG19, List.of("pg19")),
    ABLATION(Metrics.Experiments.ABLATION, List.of("pg19", "ablation")),
    MMLU(Metrics.Experiments.MMLU, List.of("mmlu")),
    LOCOMO(Metrics.Experiments.LOCOMO, List.of("locomo"));

    private final String id;
    private final List<String> sections;

    ExperimentKind(String id, List<String> sections) {
        this.id = id;
        this.sections = sections;
    }

    public String id() {
        return id;
    }

    /** The config sections of this experiment beyond the common ones. */
    public List<String> sections() {
        return sections;
    }

    public static ExperimentKind parse(String name) {
        return Arrays.stream(values()).filter(k -> k.id.equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown experiment '" + name + "'; use pg19, locomo, mmlu or ablation"));
    }

    /** The protocol of this experiment under a loaded config. */
    public Experiment<?, ?, ?> create(ConfigLoader.Layers layers) {
        var common = layers.common();
        var tree = layers.tree();
        return switch (this) {
            case PG19 -> new Pg19Experiment(common, layers.section("pg19", Pg19Settings.class), tree);
            case ABLATION -> new AblationExperiment(common, layers.section("pg19", Pg19Settings.class),
                    layers.section("ablation", AblationSettings.class), tree);
            case MMLU -> new MmluExperiment(common, layers.section("mmlu", MmluSettings.class), tree);
            case LOCOMO -> new LocomoExperiment(common, layers.section("locomo", LocomoSettings.class), tree);
        };
    }

    public String table(List<Result> results) {
        return switch (this) {
            case PG19, ABLATION -> SummaryTable.streaming(results);
            case MMLU -> SummaryTable.mmlu(results);
            case LOCOMO -> SummaryTable.locomo(results);
        };
    }

    public Map<String, String> plots(List<Result> results) {
        return switch (this) {
            case PG19, ABLATION -> StreamResults.plots(id, results);
            case MMLU -> MmluExperiment.subjectPlots(results);
            case LOCOMO -> LocomoExperiment.answerPlots(results);
        };
    }
}
