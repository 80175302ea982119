package org.locasbench.harness.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.locasbench.harness.data.MmluDataset;
import org.locasbench.model.ModelFormatException;
import org.locasbench.model.TestData;

class ExperimentInfraTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void dataDir() {
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
    }

    @Test
    void configLayersDefaultsFileOverridesAndSystemProperties() throws Exception {
        Path file = tmp.resolve("exp.yaml");
        Files.writeString(file, "window: 128\nmethods: [none, locas]\nbooks: ['10146', '10321']\n");
        Properties sys = new Properties();
        sys.setProperty("locas.set.memoryWidth", "32");
        ExperimentConfig c = ConfigLoader.load("pg19", file, List.of("lr=0.005", "devices=cpu:0,cpu:1"), sys);
        assertThat(c.window()).isEqualTo(128);
        assertThat(c.methodList()).containsExactly(Method.NONE, Method.LOCAS);
        assertThat(c.books()).containsExactly("10146", "10321");
        assertThat(c.lr()).isEqualTo(0.005);
        assertThat(c.devices()).containsExactly("cpu:0", "cpu:1");
        assertThat(c.memoryWidth()).isEqualTo(32);
        assertThat(c.context()).as("from the defaults").isEqualTo(256);

        assertThatThrownBy(() -> ConfigLoader.load("pg19", null, List.of("windw=3"), new Properties()))
                .hasMessageContaining("unknown config key 'windw'");
        assertThatThrownBy(() -> ConfigLoader.load("pg19", null, List.of("window=0"), new Properties()))
                .hasMessageContaining("invalid config value 'window'");
        assertThatThrownBy(() -> ConfigLoader.load("pg19", null, List.of("lr=-1"), new Properties()))
                .hasMessageContaining("invalid config value 'lr'");
        assertThatThrownBy(() -> ConfigLoader.load("pg19", null, List.of("methods=none,magic"), new Properties()))
                .hasMessageContaining("unknown method 'magic'");
        assertThatThrownBy(() -> ConfigLoader.load("nope", null, List.of(), new Properties()))
                .hasMessageContaining("unknown experiment 'nope'");
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
        assertThat(opened).containsExactlyInAnyOrder("cpu:0", "cpu:1", "cpu:2");
        assertThat(usedDevices).hasSize(3);
        for (int i = 0; i < 12; i++) {
            assertThat(results.get(i)).startsWith(i + "@");
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
        List<String> common = List.of("books=10146,10321", "methods=none", "maxTokens=512", "devices=cpu:0,cpu:1");
        ExperimentConfig c = ConfigLoader.load("pg19", null, common, new Properties());
        ExperimentReport first = Experiments.run(c, Shard.parse("0/2"));
        ExperimentReport second = Experiments.run(c, Shard.parse("1/2"));
        assertThat(first.results()).extracting(r -> r.get("unit").asText()).containsExactly("10146");
        assertThat(second.results()).extracting(r -> r.get("unit").asText()).containsExactly("10321");
        first.write(tmp.resolve("shard0"));
        second.write(tmp.resolve("shard1"));
        ExperimentReport merged = Experiments.merge(List.of(tmp.resolve("shard0"), tmp.resolve("shard1")));
        assertThat(merged.results()).hasSize(2);
        assertThat(merged.table()).contains("10146", "10321");
        assertThat(merged.plots()).containsKeys("pg19-10146-curves", "pg19-10321-curves");
        ExperimentReport whole = Experiments.run(c, Shard.ALL);
        for (ObjectNode r : whole.results()) {
            String unit = r.get("unit").asText();
            ObjectNode m = merged.results().stream().filter(x -> x.get("unit").asText().equals(unit)).findFirst()
                    .orElseThrow();
            assertThat(m.get("metrics").get("ppl").asDouble()).isEqualTo(r.get("metrics").get("ppl").asDouble());
        }
        assertThat(merged.results().get(0).get("schema_version").asInt()).isEqualTo(ResultsWriter.SCHEMA_VERSION);
        assertThat(merged.results().get(0).get("environment").get("git_commit").asText()).isNotBlank();
        assertThat(Files.readString(tmp.resolve("shard0/pg19-10146-curves.svg"))).startsWith("<?xml").contains("<svg");
        assertThatThrownBy(() -> Shard.parse("2/2")).hasMessageContaining("0 <= i < n");
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
