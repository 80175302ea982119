package org.locasbench.harness.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.locasbench.harness.reliability.BadInputTest.IDS;
import static org.locasbench.harness.reliability.BadInputTest.TINY;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.locasbench.harness.config.Devices;
import org.locasbench.harness.reliability.BadInputTest.Setup;
import org.locasbench.model.TestData;

/**
 * Issue 18, classes 6 to 8: devices checked when the run starts, merge inputs, the data directory, and picocli's own
 * option errors: each one error line (plus at most a one-line hint), exit 2, no stack trace, no usage dump.
 */
class RunSetupErrorsTest {
    static Path tmp;
    static Path shard;
    static final Map<String, String> MESSAGES = new TreeMap<>();

    @BeforeAll
    static void dir() throws Exception {
        tmp = Files.createTempDirectory("run-setup");
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
        shard = tmp.resolve("shard0");
        int code = OutputLocationTest.run("run", "pg19", "--set", "run.methods=none", "--set", "pg19.maxTokens=512",
                "--out", shard.toString()).code();
        assertThat(code).isZero();
    }

    @AfterAll
    static void printTable() {
        System.out.println("run-setup table:");
        MESSAGES.forEach((k, v) -> System.out.println("| " + k + " | " + v + " |"));
    }

    static boolean noGpu() {
        return ai.djl.engine.Engine.getInstance().getGpuCount() == 0;
    }

    static Path copyShard(Path d, String name) throws Exception {
        return HostileFiles.copyDir(shard, d, name);
    }

    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        if (noGpu()) {
            c.add(Arguments.of("--device gpu:7", (Setup) (d, out) -> List.of("nll", "--model", TINY.toString(),
                    "--ids", IDS.toString(), "--device", "gpu:7", "--out", out.toString()),
                    new String[] {"error: --device gpu:7: this machine has no GPU (devices: cpu)", "--device cpu"}));
            c.add(Arguments.of("--device gpu without CUDA", (Setup) (d, out) -> List.of("ttt", "--model",
                    TINY.toString(), "--ids", IDS.toString(), "--device", "gpu", "--out", out.toString()),
                    new String[] {"error: --device gpu: this machine has no GPU (devices: cpu)"}));
            c.add(Arguments.of("--set run.devices=gpu:7", (Setup) (d, out) -> List.of("run", "pg19", "--set",
                    "run.devices=gpu:7", "--out", out.toString()), new String[] {"error: run.devices: gpu:7: this "
                        + "machine has no GPU (devices: cpu)"}));
        }
        c.add(Arguments.of("GRPO samples longer than a window", (Setup) (d, out) -> List.of("ttt", "--model",
                TINY.toString(), "--ids", IDS.toString(), "--window", "8", "--context", "8", "--loss", "GRPO",
                "--grpo-length", "8", "--out", out.toString()), new String[] {"error: GRPO needs windows longer than "
                + "grpo.length (8 tokens), window 0 has 8 new tokens", "--grpo-length"}));
        c.add(Arguments.of("expandable memory past the MLP's neurons", (Setup) (d, out) -> List.of("ttt", "--model",
                TINY.toString(), "--ids", IDS.toString(), "--window", "8", "--context", "8", "--width", "8",
                "--grow-every", "1", "--max-width", "500", "--out", out.toString()), new String[] {"error: "
                + "locas.maxWidth 500 exceeds the 192 MLP neurons that init highest clones rows from"}));
        c.add(Arguments.of("a GRPO group of one", (Setup) (d, out) -> List.of("lora-ttt", "--model", TINY.toString(),
                "--ids", IDS.toString(), "--loss", "GRPO", "--grpo-group", "1", "--out", out.toString()),
                new String[] {"error: invalid config value 'grpo.group': must be >= 2"}));
        c.add(Arguments.of("--device tpu", (Setup) (d, out) -> List.of("score", "--model", TINY.toString(), "--ids",
                IDS.toString(), "--device", "tpu", "--out", out.toString()),
                new String[] {"error: invalid config value 'run.devices': 'tpu' is not a device (use cpu, gpu or gpu:N) "
                        + "(set by --device)"}));
        c.add(Arguments.of("merge of a missing directory", (Setup) (d, out) -> List.of("merge", copyShard(d, "s0")
                .toString(), d.resolve("nope").toString(), "--out", out.toString()),
                new String[] {"nope: not a results directory", "run --shard"}));
        c.add(Arguments.of("merge of a corrupt results file", (Setup) (d, out) -> {
            Path s = copyShard(d, "s0");
            Files.writeString(s.resolve("broken.json"), "{\"name\": \"x\", ");
            return List.of("merge", s.toString(), "--out", out.toString());
        }, new String[] {"s0/broken.json: not a readable results file", "line 1", "run that shard again"}));
        c.add(Arguments.of("merge of the same shard twice", (Setup) (d, out) -> {
            Path s = copyShard(d, "s0");
            return List.of("merge", s.toString(), s.toString(), "--out", out.toString());
        }, new String[] {"s0/shard.json: shard 0/1 is also", "the same shard was given twice"}));
        c.add(Arguments.of("merge of two copies of one shard", (Setup) (d, out) -> List.of("merge",
                copyShard(d, "s0").toString(), copyShard(d, "s1").toString(), "--out", out.toString()),
                new String[] {"s1/shard.json: shard 0/1 is also", "s0", "the same shard was given twice"}));
        c.add(Arguments.of("unknown option with a suggestion", (Setup) (d, out) -> List.of("ttt", "--model",
                TINY.toString(), "--ids", IDS.toString(), "--widht", "8", "--out", out.toString()),
                new String[] {"error: Unknown options: '--widht', '8'"}));
        c.add(Arguments.of("invalid option value", (Setup) (d, out) -> List.of("nll", "--model", TINY.toString(),
                "--ids", IDS.toString(), "--window", "abc", "--out", out.toString()),
                new String[] {"error: invalid config value 'window.size': must be a whole number: got \"abc\" (set by --window)"}));
        c.add(Arguments.of("missing required option", (Setup) (d, out) -> List.of("to-dense", "--model",
                TINY.toString(), "--out", out.toString()),
                new String[] {"error: Missing required option: '--memory=MEM'"}));
        c.add(Arguments.of("two exclusive inputs", (Setup) (d, out) -> List.of("nll", "--model", TINY.toString(),
                "--ids", IDS.toString(), "--book", "10146", "--out", out.toString()),
                new String[] {"error: --book=ID, --ids=FILE are mutually exclusive"}));
        c.add(Arguments.of("no command", (Setup) (d, out) -> List.of(), new String[] {"error: Missing required "
                + "subcommand"}));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithOneLine(String name, Setup setup, String[] expected) throws Exception {
        MESSAGES.put(name, BadInputTest.refused(tmp, name, setup, expected));
    }

    /** picocli's errors: the error line and one hint, never the usage text. */
    @Test
    void optionErrorsPrintOneLineAndOneHintNotTheUsage() {
        var r = OutputLocationTest.run("ttt", "--model", TINY.toString(), "--ids", IDS.toString(), "--widht", "8");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines().toList()).containsExactly("error: Unknown options: '--widht', '8'",
                "did you mean --width or --window? run 'locas-bench ttt --help' for the options");
        var missing = OutputLocationTest.run("lora-merge", "--model", TINY.toString());
        assertThat(missing.err().lines().toList()).hasSize(2).last().asString()
                .isEqualTo("run 'locas-bench lora-merge --help' for the options");
    }

    /** The device check itself, for machines with and without GPUs. */
    @Test
    void devicesAreCheckedAgainstTheGpusTheMachineHas() {
        assertThat(Devices.available("gpu:1", "--device", () -> 2)).isEqualTo(Device.gpu(1));
        assertThat(Devices.available("cpu:3", "--device", () -> 0)).isEqualTo(Device.cpu());
        assertThatThrownBy(() -> Devices.available("gpu:7", "--device", () -> 2))
                .hasMessage("--device gpu:7: this machine has 2 GPUs: gpu:0, gpu:1");
        assertThatThrownBy(() -> Devices.available("gpu:1", "--device", () -> 1))
                .hasMessage("--device gpu:1: this machine has 1 GPU: gpu:0");
        assertThatThrownBy(() -> Devices.available("gpu", "--device", () -> 0))
                .hasMessageStartingWith("--device gpu: this machine has no GPU (devices: cpu)");
        // one worker per GPU ("gpu" is gpu:0); several CPU workers are allowed (scheduling tests)
        assertThatThrownBy(() -> new org.locasbench.harness.config.RunSettings(null, List.of("gpu:0", "gpu"),
                org.locasbench.model.Precision.FP16, 0, List.of(org.locasbench.harness.config.Method.NONE)))
                .hasMessageContaining("run.devices").hasMessageContaining("lists a GPU twice: [gpu:0, gpu]");
        assertThat(new org.locasbench.harness.config.RunSettings(null, List.of("cpu:0", "cpu:1"),
                org.locasbench.model.Precision.FP32, 0, List.of(org.locasbench.harness.config.Method.NONE)).devices())
                .hasSize(2);
    }

    /** Outside the project root: the message names LOCAS_DATA_DIR and the JVM option, with where each goes. */
    @Test
    void aMissingDataDirectoryNamesBothWaysToPointAtIt() {
        String old = System.getProperty("locas.data.dir");
        try {
            System.setProperty("locas.data.dir", tmp.resolve("no-data").toString());
            var r = OutputLocationTest.run("score", "--model", TINY.toString(), "--book", "10146");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err().lines().filter(l -> l.startsWith("error: ")).toList()).singleElement().asString()
                    .contains("no-data (from -Dlocas.data.dir) not found", "LOCAS_DATA_DIR=PATH/TO/data",
                            "LOCAS_JAVA_OPTS");
            assertThat(r.err()).doesNotContain("\tat ");
        } finally {
            System.setProperty("locas.data.dir", old);
        }
    }
}
