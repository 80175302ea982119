package org.locasbench.harness.reliability;

import static org.locasbench.harness.reliability.BadInputTest.IDS;
import static org.locasbench.harness.reliability.BadInputTest.TINY;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.locasbench.harness.reliability.BadInputTest.Setup;
import org.locasbench.model.TestData;

/**
 * Issue 18, class 3 (and the memory-metadata and LoRA-shape messages of class 8): values that used to pass unchecked
 * (a tau that is not positive, a rank beyond the layer sizes, a lora_alpha that is a string, an odd head_dim) and
 * metadata that used to fail with "Cannot parse null string".
 */
class UncheckedValuesTest {
    static Path tmp;
    static final Map<String, String> MESSAGES = new TreeMap<>();
    static final Path PEFT = TestData.fixture("tiny-qwen3-lora-peft");
    static final String TAU = "model.layers.1.mlp.memory.tau";

    @BeforeAll
    static void dir() throws Exception {
        tmp = Files.createTempDirectory("unchecked-values");
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
    }

    @AfterAll
    static void printTable() {
        System.out.println("unchecked-values table:");
        MESSAGES.forEach((k, v) -> System.out.println("| " + k + " | " + v + " |"));
    }

    static Setup tau(long[] shape, float[] values) {
        return (d, out) -> {
            Path mem = d.resolve("mem.safetensors");
            Files.copy(TINY.resolve("locas-memory.safetensors"), mem);
            HostileFiles.replace(mem, TAU, shape, values);
            return List.of("nll", "--model", TINY.toString(), "--ids", IDS.toString(), "--memory", mem.toString(),
                    "--out", out.toString());
        };
    }

    static Setup metadata(String key, String value) {
        return (d, out) -> {
            Path mem = d.resolve("mem.safetensors");
            Files.copy(TINY.resolve("locas-memory.safetensors"), mem);
            HostileFiles.metadata(mem, key, value);
            return List.of("to-dense", "--model", TINY.toString(), "--memory", mem.toString(), "--out",
                    out.toString());
        };
    }

    static Setup adapterConfig(String from, String to) {
        return (d, out) -> {
            Path a = HostileFiles.copyDir(PEFT, d, "adapter");
            HostileFiles.edit(a.resolve("adapter_config.json"), from, to);
            return List.of("lora-merge", "--model", TINY.toString(), "--adapter", a.toString(), "--out",
                    out.toString());
        };
    }

    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        c.add(Arguments.of("negative tau", tau(new long[] {1}, new float[] {-0.5f}),
                new String[] {"mem.safetensors", TAU + " is -0.5; tau must be positive"}));
        c.add(Arguments.of("zero tau", tau(new long[] {1}, new float[] {0f}),
                new String[] {"mem.safetensors", TAU + " is 0.0; tau must be positive"}));
        c.add(Arguments.of("empty tau", tau(new long[] {0}, new float[0]),
                new String[] {"mem.safetensors", TAU + " has shape [0], expected [1]"}));
        c.add(Arguments.of("memory metadata without width", metadata("width", null),
                new String[] {"mem.safetensors", "metadata lacks 'width'", "memorize"}));
        c.add(Arguments.of("memory metadata width not a number", metadata("width", "eight"),
                new String[] {"mem.safetensors", "metadata 'width' is 'eight', not a positive integer"}));
        c.add(Arguments.of("memory metadata without init", metadata("init", null),
                new String[] {"mem.safetensors", "metadata lacks 'init'"}));
        c.add(Arguments.of("memory metadata unknown clipping", metadata("clipping", "sometimes"),
                new String[] {"mem.safetensors", "metadata 'clipping': unknown clipping 'sometimes'"}));
        c.add(Arguments.of("--rank 100000", (Setup) (d, out) -> List.of("lora-ttt", "--model", TINY.toString(),
                "--ids", IDS.toString(), "--window", "8", "--rank", "100000", "--out", out.toString()),
                new String[] {"LoRA rank 100000 exceeds min(in, out) = 32 of k_proj [32, 64]", "at most 32",
                    "--rank"}));
        c.add(Arguments.of("--rank beyond the smallest of the targets", (Setup) (d, out) -> List.of("lora-ttt",
                "--model", TINY.toString(), "--ids", IDS.toString(), "--window", "8", "--rank", "65", "--targets",
                "q_proj,gate_proj", "--out", out.toString()),
                new String[] {"LoRA rank 65 exceeds min(in, out) = 64 of q_proj"}));
        c.add(Arguments.of("lora_alpha is a string", adapterConfig("\"lora_alpha\": 8", "\"lora_alpha\": \"eight\""),
                new String[] {"adapter/adapter_config.json", "lora_alpha must be a number, found \"eight\"",
                    "not a number"}));
        c.add(Arguments.of("r is a string", adapterConfig("\"r\": 4", "\"r\": \"4\""),
                new String[] {"adapter_config.json", "r must be a positive integer, found \"4\" (a string)"}));
        c.add(Arguments.of("r is a fraction", adapterConfig("\"r\": 4", "\"r\": 4.5"),
                new String[] {"adapter_config.json", "r must be a positive integer, found 4.5"}));
        c.add(Arguments.of("lora_dropout negative", adapterConfig("\"lora_dropout\": 0.0", "\"lora_dropout\": -1"),
                new String[] {"adapter_config.json", "lora_dropout must be a non-negative number, found -1"}));
        c.add(Arguments.of("use_dora is a string", adapterConfig("\"use_dora\": false", "\"use_dora\": \"no\""),
                new String[] {"adapter_config.json", "use_dora must be true or false, found \"no\""}));
        c.add(Arguments.of("LoRA r disagrees with the tensors", adapterConfig("\"r\": 4", "\"r\": 2"),
                new String[] {"adapter_model.safetensors", "lora_A.weight' has shape [4, ", "rank 4, but "
                    + "adapter_config.json says r = 2"}));
        c.add(Arguments.of("LoRA adapter of a model with other sizes", (Setup) (d, out) -> List.of("lora-merge",
                "--model", TestData.fixture("tiny-qwen3-untied").toString(), "--adapter", PEFT.toString(), "--out",
                out.toString()), new String[] {"adapter_model.safetensors",
                    "q_proj.lora_A.weight' has shape [4, 64], but the model's model.layers.0.self_attn.q_proj.weight is [",
                    "[out, in], so lora_A must be [4, 96]"}));
        c.add(Arguments.of("odd head_dim", (Setup) (d, out) -> {
            Path m = HostileFiles.copyDir(TINY, d, "model");
            HostileFiles.edit(m.resolve("config.json"), "\"head_dim\": 16", "\"head_dim\": 15");
            return List.of("nll", "--model", m.toString(), "--ids", IDS.toString(), "--out", out.toString());
        }, new String[] {"model/config.json", "head_dim is 15", "even head_dim"}));
        c.add(Arguments.of("--lambda NaN", (Setup) (d, out) -> List.of("ttt", "--model", TINY.toString(), "--ids",
                IDS.toString(), "--loss", "MIX", "--lambda", "NaN", "--out", out.toString()),
                new String[] {"'training.mixLambda': must be in [0, 1], got NaN (set by --lambda)"}));
        c.add(Arguments.of("--checkpoint-every 0", (Setup) (d, out) -> List.of("ttt", "--model", TINY.toString(),
                "--ids", IDS.toString(), "--checkpoint-every", "0", "--out", out.toString()),
                new String[] {"'reliability.checkpointEvery': must be >= 1 window, got 0 (set by --checkpoint-every)"}));
        c.add(Arguments.of("checkpoint progress without results", (Setup) (d, out) -> {
            Path ckpt = Files.createDirectories(d.resolve("ckpt"));
            Files.writeString(ckpt.resolve("progress.json"), "{\"fingerprint\": \"x\"}");
            return List.of("ttt", "--model", TINY.toString(), "--ids", IDS.toString(), "--window", "8",
                    "--checkpoint-dir", ckpt.toString(), "--resume", "--out", out.toString());
        }, new String[] {"ckpt/progress.json: checkpoint progress lacks 'results'", "delete the checkpoint"}));
        c.add(Arguments.of("--ids a directory", (Setup) (d, out) -> List.of("nll", "--model", TINY.toString(),
                "--ids", Files.createDirectories(d.resolve("ids")).toString(), "--out", out.toString()),
                new String[] {"ids: is a directory; --ids takes a JSON file"}));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithOneLineAndNothingWritten(String name, Setup setup, String[] expected) throws Exception {
        MESSAGES.put(name, BadInputTest.refused(tmp, name, setup, expected));
    }
}
