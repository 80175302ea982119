package org.locasbench.harness.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locasbench.harness.config.CommonConfig;
import org.locasbench.harness.config.ConfigException;
import org.locasbench.harness.config.ConfigLoader;
import org.locasbench.harness.config.ConfigLoader.Setting;
import org.locasbench.harness.config.LocomoSettings;
import org.locasbench.harness.config.Method;
import org.locasbench.harness.config.Pg19Settings;
import org.locasbench.harness.data.MmluDataset;
import org.locasbench.locas.InitStrategy;
import org.locasbench.model.ModelFormatException;
import org.locasbench.model.TestData;
import org.locasbench.results.Metrics;
import org.locasbench.results.Result;
import org.locasbench.results.plot.CurvePlot;

class ExperimentInfraTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void dataDir() {
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
    }

    static ConfigLoader.Layers pg19(Path file, Properties system, String... sets) {
        List<Setting> settings = new ArrayList<>();
        for (String s : sets) {
            settings.add(Setting.parse(s, "--set"));
        }
        return ConfigLoader.load(ExperimentKind.PG19.id(), ExperimentKind.PG19.sections(), file, settings, system);
    }

    static ConfigLoader.Layers pg19(String... sets) {
        return pg19(null, new Properties(), sets);
    }

    /** Each layer overrides the one before: common.yaml, pg19.yaml, the file, --set, then -Dlocas.set. */
    @Test
    void configLayersDefaultsFileOverridesAndSystemProperties() throws Exception {
        Path file = tmp.resolve("exp.yaml");
        Files.writeString(file, "window:\n  size: 128\n  context: 64\nrun:\n  methods: [none, locas]\n"
                + "pg19:\n  books: ['10146', '10321']\n");
        Properties sys = new Properties();
        sys.setProperty("locas.set.locas.width", "32");
        ConfigLoader.Layers layers = pg19(file, sys, "locas.lr=0.005", "run.devices=cpu:0,cpu:1",
                "window.context=96", "locas.width=8");
        CommonConfig c = layers.common();
        assertThat(c.window().size()).as("from the file").isEqualTo(128);
        assertThat(c.window().context()).as("--set over the file").isEqualTo(96);
        assertThat(c.window().longContext()).as("from common.yaml").isEqualTo(1024);
        assertThat(c.run().methods()).as("the file over pg19.yaml").containsExactly(Method.NONE, Method.LOCAS);
        assertThat(layers.section("pg19", Pg19Settings.class).books()).containsExactly("10146", "10321");
        assertThat(layers.section("pg19", Pg19Settings.class).maxTokens()).as("from pg19.yaml").isEqualTo(8192);
        assertThat(c.locas().lr()).isEqualTo(0.005);
        assertThat(c.run().devices()).containsExactly("cpu:0", "cpu:1");
        assertThat(c.locas().width()).as("-Dlocas.set over --set").isEqualTo(32);
        assertThat(c.locas().init()).as("from common.yaml").isEqualTo(InitStrategy.HIGHEST);
        assertThat(layers.tree().path("window").path("size").asInt()).as("the tree the results record").isEqualTo(128);

        assertThatThrownBy(() -> ExperimentKind.parse("nope")).hasMessageContaining("unknown experiment 'nope'");
    }

    @Test
    void unknownSectionsAndKeysAreRefusedWithWhatIsKnown() {
        assertThatThrownBy(() -> pg19("windw.size=3")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'windw'").hasMessageContaining("unknown section (set by --set)")
                .hasMessageContaining("window");
        assertThatThrownBy(() -> pg19("size=128")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("keys are section.key").hasMessageContaining("did you mean window.size?");
        assertThatThrownBy(() -> pg19("window.sise=128").common()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'window.sise': unknown key (set by --set)")
                .hasMessageContaining("[context, longContext, size]");
        assertThatThrownBy(() -> ConfigLoader.load(ExperimentKind.PG19.id(), ExperimentKind.PG19.sections(), null,
                List.of(Setting.parse("mmlu.shots=5", "--set")), new Properties()))
                .as("another experiment's section").hasMessageContaining("'mmlu': unknown section");
    }

    @Test
    void invalidValuesNameTheKeyAndWhereTheValueCameFrom() throws Exception {
        Path fraction = tmp.resolve("fraction.yaml");
        Files.writeString(fraction, "window:\n  size: 2.5\n");
        assertThatThrownBy(() -> pg19(fraction, new Properties()).common()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'window.size'").hasMessageContaining("whole number")
                .hasMessageContaining("(set by " + fraction + ")");

        Path duplicate = tmp.resolve("duplicate.yaml");
        Files.writeString(duplicate, "window:\n  size: 128\n  size: 64\n");
        assertThatThrownBy(() -> pg19(duplicate, new Properties())).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(duplicate.toString()).hasMessageContaining("Duplicate field 'size'");

        assertThatThrownBy(() -> pg19("locas.init=hottest").common()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'locas.init'").hasMessageContaining("hottest")
                .hasMessageContaining("highest").hasMessageContaining("lowest").hasMessageContaining("random_index")
                .hasMessageContaining("(set by --set)");
        assertThatThrownBy(() -> pg19("reliability.onNonFinite=ignore").common())
                .hasMessageContaining("'reliability.onNonFinite'").hasMessageContaining("skip_window");

        Properties sys = new Properties();
        sys.setProperty("locas.set.window.size", "0");
        assertThatThrownBy(() -> pg19(null, sys).common()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'window.size'").hasMessageContaining("got 0")
                .hasMessageContaining("(set by -Dlocas.set.window.size)");
        assertThatThrownBy(() -> pg19("locas.lr=-1").common()).hasMessageContaining("'locas.lr'")
                .hasMessageContaining("(set by --set)");
        assertThatThrownBy(() -> pg19("window.size=many").common()).hasMessageContaining("'window.size'")
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> pg19("run.methods=none,magic").common()).hasMessageContaining("unknown method "
                + "'magic'");
        assertThatThrownBy(() -> pg19("run.methods=none,none").common()).hasMessageContaining("twice");
        assertThatThrownBy(() -> pg19("run.devices=tpu").common()).hasMessageContaining("'run.devices'")
                .hasMessageContaining("'tpu' is not a device");
    }

    @Test
    void aOneElementListFromSetIsAList() {
        ConfigLoader.Layers layers = ConfigLoader.load(ExperimentKind.LOCOMO.id(), ExperimentKind.LOCOMO.sections(),
                null, List.of(Setting.parse("locomo.conversations=conv-26", "--set")), new Properties());
        assertThat(layers.section("locomo", LocomoSettings.class).conversations()).containsExactly("conv-26");
        ConfigLoader.Layers two = ConfigLoader.load(ExperimentKind.LOCOMO.id(), ExperimentKind.LOCOMO.sections(),
                null, List.of(Setting.parse("locomo.conversations=conv-26,conv-30", "--set")), new Properties());
        assertThat(two.section("locomo", LocomoSettings.class).conversations()).containsExactly("conv-26", "conv-30");
        assertThat(pg19("run.methods=lora").common().run().methods()).containsExactly(Method.LORA);
    }

    /**
     * The real-scale presets in configs/ and the paper's in configs/paper/ are in the layout the loader reads, every
     * section binds, and every value of a paper preset says where it comes from (a comment on its line).
     */
    @Test
    void everyPresetInConfigsLoads() throws Exception {
        Path configs = TestData.dataDir().toAbsolutePath().getParent().resolve("configs");
        List<Path> presets;
        try (var files = Files.walk(configs)) {
            presets = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(presets).hasSize(10);
        for (Path preset : presets) {
            String name = preset.getFileName().toString();
            ExperimentKind kind = name.contains("mmlu") ? ExperimentKind.MMLU : name.contains("locomo")
                    ? ExperimentKind.LOCOMO : name.contains("ablation") || name.contains("width-sweep")
                    ? ExperimentKind.ABLATION : ExperimentKind.PG19;
            ConfigLoader.Layers layers = ConfigLoader.load(kind.id(), kind.sections(), preset, List.of(),
                    new Properties());
            CommonConfig c = layers.common();
            assertThat(c.run().model()).as(name).startsWith("Qwen/Qwen3-");
            assertThat(c.window().size()).as(name).isEqualTo(1024);
            assertThat(kind.create(layers)).as(name).isNotNull();
            if (preset.getParent().getFileName().toString().equals("paper")) {
                for (String line : Files.readAllLines(preset)) {
                    if (line.matches("\\s+\\w+: \\S.*")) { // a value (section headers have none)
                        assertThat(line).as("%s: a value without its source or 'guess'", name).contains("#");
                    }
                }
            }
        }
        ConfigLoader.Layers table1 = ConfigLoader.load("pg19", ExperimentKind.PG19.sections(),
                configs.resolve("paper/table1-qwen3-1.7b-base.yaml"), List.of(), new Properties());
        assertThat(table1.common().locas().width()).isEqualTo(64);
        assertThat(table1.common().window().longContext()).isEqualTo(16384);
        var lora = org.locasbench.harness.method.MethodSetup.of(table1.common(), Method.LORA);
        var locas = org.locasbench.harness.method.MethodSetup.of(table1.common(), Method.LOCAS);
        assertThat(lora.training().stepsPerWindow()).as("Temp-LoRA's 2 epochs per chunk").isEqualTo(2);
        assertThat(locas.training().stepsPerWindow()).as("Locas keeps training.stepsPerWindow").isEqualTo(1);
    }

    @Test
    void devicePoolSpreadsUnitsOverEveryWorkerAndKeepsOrder() throws Exception {
        List<Integer> units = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            units.add(i);
        }
        Set<String> usedDevices = ConcurrentHashMap.newKeySet();
        List<String> opened = Collections.synchronizedList(new ArrayList<>());
        List<String> results = DevicePool.run(units, List.of("cpu:0", "cpu:1", "cpu:2"), device -> {
            opened.add(device);
            return () -> { };
        }, (unit, worker, device) -> {
            usedDevices.add(device);
            Thread.sleep(20);
            return unit + "@" + device;
        });
        assertThat(opened).as("one worker per device").containsExactlyInAnyOrder("cpu:0", "cpu:1", "cpu:2");
        assertThat(usedDevices).as("every worker got work").hasSize(3);
        for (int i = 0; i < 12; i++) {
            assertThat(results.get(i)).as("results in unit order").startsWith(i + "@");
        }
        assertThatThrownBy(() -> DevicePool.run(units, List.of("cpu:0", "cpu:1"), d -> () -> { },
                (u, w, d) -> {
                    if (u == 5) {
                        throw new IllegalStateException("unit 5 failed");
                    }
                    return u;
                })).hasMessage("unit 5 failed");
    }

    /** Two hosts each run half of the books (--shard 0/2, 1/2) on two CPU "devices"; merge equals the whole. */
    @Test
    void shardsOnSeveralCpuDevicesMergeIntoOneReport() throws Exception {
        ConfigLoader.Layers layers = pg19("pg19.books=10146,10321", "run.methods=none", "pg19.maxTokens=512",
                "run.devices=cpu:0,cpu:1");
        Report first = ExperimentRunner.run(ExperimentKind.PG19, layers, Shard.parse("0/2"));
        Report second = ExperimentRunner.run(ExperimentKind.PG19, layers, Shard.parse("1/2"));
        assertThat(first.results()).extracting(Result::unit).containsExactly("10146");
        assertThat(second.results()).extracting(Result::unit).containsExactly("10321");
        first.write(tmp.resolve("shard0"));
        second.write(tmp.resolve("shard1"));
        Report merged = ShardMerge.merge(List.of(tmp.resolve("shard0"), tmp.resolve("shard1")));
        assertThat(merged.kind()).isEqualTo(ExperimentKind.PG19);
        assertThat(merged.results()).as("read back from the shards' files exactly as they were")
                .containsExactlyInAnyOrder(first.results().get(0), second.results().get(0));
        assertThat(merged.table()).contains("10146", "10321");
        assertThat(merged.plots()).containsKeys("pg19-10146-curves", "pg19-10321-curves");
        assertThat(merged.history()).as("each shard's own history records, read back")
                .containsExactlyInAnyOrder(first.history().get(0), second.history().get(0));
        assertThat(merged.history()).extracting(org.locasbench.results.HistoryRecord::unit)
                .containsExactlyInAnyOrder("10146", "10321");

        Report whole = ExperimentRunner.run(ExperimentKind.PG19, layers, Shard.ALL);
        assertThat(whole.results()).hasSize(2);
        // each worker warms up once, before its first timed run; that time is reported, not in the wall time
        assertThat(whole.results()).allSatisfy(r -> assertThat(r.requireMetric(Metrics.WARMUP_SECONDS)).isPositive());
        Report oneWorker = ExperimentRunner.run(ExperimentKind.PG19, pg19("pg19.books=10146",
                "run.methods=none,locas,lora", "pg19.maxTokens=512"), Shard.ALL);
        List<Double> warmUps = oneWorker.results().stream().map(r -> r.requireMetric(Metrics.WARMUP_SECONDS)).toList();
        // the worker's warm-up so far: none warms the scoring forward of each window shape, locas adds a training step
        // on each, lora (the same shapes) adds nothing: one warm-up per shape, not one per method
        assertThat(warmUps).hasSize(3);
        assertThat(warmUps.get(1)).isGreaterThan(warmUps.get(0));
        assertThat(warmUps.get(2)).isEqualTo(warmUps.get(1));
        for (Result r : whole.results()) {
            Result m = merged.results().stream().filter(x -> x.unit().equals(r.unit())).findFirst().orElseThrow();
            assertThat(m.series(Metrics.Series.WINDOW_NLL)).as("book %s: two workers and two shards agree", r.unit())
                    .isEqualTo(r.series(Metrics.Series.WINDOW_NLL));
        }
        if (CurvePlot.canDraw()) {
            assertThat(Files.readString(tmp.resolve("shard0/pg19-10146-curves.svg"))).startsWith("<?xml")
                    .contains("<svg");
        }

        assertThatThrownBy(() -> ShardMerge.merge(List.of(tmp.resolve("shard0"), tmp.resolve("shard0"))))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("shard 0/2 is also")
                .hasMessageContaining("the same shard was given twice");
        assertThatThrownBy(() -> ShardMerge.merge(List.of(tmp.resolve("shard0"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shards [1] of 2 are missing");
        assertThatThrownBy(() -> ShardMerge.merge(List.of(tmp.resolve("shard0"), tmp.resolve("nope"))))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("nope")
                .hasMessageContaining("not a results directory");
        Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> ShardMerge.merge(List.of(tmp.resolve("empty"))))
                .hasMessageContaining("empty/shard.json: missing").hasMessageContaining("not written by `run`");
        assertThatThrownBy(() -> Shard.parse("2/2")).hasMessageContaining("0 <= i < n");
        assertThatThrownBy(() -> ExperimentRunner.run(ExperimentKind.PG19, pg19("pg19.books=10146",
                "run.methods=none"), Shard.parse("1/2"))).hasMessageContaining("shard 1/2 has no units");
    }

    @Test
    void mmluRowWithThreeChoicesNamesFileAndLine() throws Exception {
        Path dir = tmp.resolve("mmlu/test");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("algebra_test.csv"), "What is 1+1?,1,2,3,4,B\nBroken?,x,y,z\n");
        Files.createDirectories(tmp.resolve("mmlu/dev")); // every test subject needs its dev (k-shot) file
        Files.writeString(tmp.resolve("mmlu/dev/algebra_dev.csv"), "What is 2+2?,1,2,3,4,D\n");
        assertThatThrownBy(() -> MmluDataset.load(tmp.resolve("mmlu"), "test")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("algebra_test.csv").hasMessageContaining("row 2 has 2 choices");
        Files.writeString(dir.resolve("algebra_test.csv"), "What is 1+1?,1,2,3,4,B\n");
        var q = MmluDataset.load(tmp.resolve("mmlu"), "test").get("algebra").get(0);
        assertThat(q.answer()).as("hendrycks layout, letter answer").isEqualTo(1);
        assertThat(MmluDataset.load(TestData.dataDir().resolve("mmlu"), "test")).containsOnlyKeys("global_facts",
                "high_school_geography", "marketing");
    }
}
