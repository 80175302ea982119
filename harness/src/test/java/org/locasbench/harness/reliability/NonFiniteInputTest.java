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
 * Issue 18, class 1: NaN/Inf in model weights, a Locas memory or a LoRA adapter, and a training run that diverges, are
 * errors (exit 2, one line naming file and tensor, or the window and the learning rate), never results.
 */
class NonFiniteInputTest {
    static Path tmp;
    static final Map<String, String> MESSAGES = new TreeMap<>();
    static final String DOWN = "model.layers.1.mlp.down_proj.weight";
    static final String GATE = "model.layers.0.mlp.memory.gate";
    static final String LORA_A = "base_model.model.model.layers.1.self_attn.v_proj.lora_A.weight";

    @BeforeAll
    static void dir() throws Exception {
        tmp = Files.createTempDirectory("non-finite");
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
    }

    @AfterAll
    static void printTable() {
        System.out.println("non-finite table:");
        MESSAGES.forEach((k, v) -> System.out.println("| " + k + " | " + v + " |"));
    }

    static Path nanModel(Path d, float value) throws Exception {
        Path m = HostileFiles.copyDir(TINY, d, "model");
        HostileFiles.poison(m.resolve("model.safetensors"), DOWN, 5, value);
        return m;
    }

    static Path memory(Path d, String tensor, float value) throws Exception {
        Path mem = d.resolve("mem.safetensors");
        Files.copy(TINY.resolve("locas-memory.safetensors"), mem);
        HostileFiles.poison(mem, tensor, 3, value);
        return mem;
    }

    static Path adapter(Path d, float value) throws Exception {
        Path a = HostileFiles.copyDir(TestData.fixture("tiny-qwen3-lora-peft"), d, "adapter");
        HostileFiles.poison(a.resolve("adapter_model.safetensors"), LORA_A, 7, value);
        return a;
    }

    static Stream<Arguments> cases() {
        String modelFile = "model/model.safetensors";
        String nonFinite = "non-finite value (NaN or Inf)";
        List<Arguments> c = new ArrayList<>();
        c.add(Arguments.of("nll: NaN in the model", (Setup) (d, out) -> List.of("nll", "--model",
                nanModel(d, Float.NaN).toString(), "--ids", IDS.toString(), "--out", out.toString()),
                new String[] {modelFile, "'" + DOWN + "'", nonFinite, "element 5"}));
        c.add(Arguments.of("score: Inf in the model", (Setup) (d, out) -> List.of("score", "--model",
                nanModel(d, Float.POSITIVE_INFINITY).toString(), "--ids", IDS.toString(), "--out", out.toString()),
                new String[] {modelFile, DOWN, nonFinite}));
        c.add(Arguments.of("to-dense: NaN in the model", (Setup) (d, out) -> List.of("to-dense", "--model",
                nanModel(d, Float.NaN).toString(), "--memory", TINY.resolve("locas-memory.safetensors").toString(),
                "--out", out.toString()), new String[] {modelFile, DOWN, nonFinite}));
        c.add(Arguments.of("lora-merge: NaN in the model", (Setup) (d, out) -> List.of("lora-merge", "--model",
                nanModel(d, Float.NaN).toString(), "--adapter", TestData.fixture("tiny-qwen3-lora-peft").toString(),
                "--out", out.toString()), new String[] {modelFile, DOWN, nonFinite}));
        c.add(Arguments.of("nll: NaN in a memory's gate", (Setup) (d, out) -> List.of("nll", "--model",
                TINY.toString(), "--ids", IDS.toString(), "--memory", memory(d, GATE, Float.NaN).toString(),
                "--out", out.toString()), new String[] {"mem.safetensors", "'" + GATE + "'", nonFinite}));
        c.add(Arguments.of("to-dense: Inf in a memory's value", (Setup) (d, out) -> List.of("to-dense", "--model",
                TINY.toString(), "--memory", memory(d, "model.layers.1.mlp.memory.value", Float.NEGATIVE_INFINITY)
                        .toString(), "--out", out.toString()),
                new String[] {"mem.safetensors", "model.layers.1.mlp.memory.value", nonFinite}));
        c.add(Arguments.of("nll: NaN tau", (Setup) (d, out) -> {
            Path mem = d.resolve("mem.safetensors");
            Files.copy(TINY.resolve("locas-memory.safetensors"), mem);
            HostileFiles.poison(mem, "model.layers.1.mlp.memory.tau", 0, Float.NaN);
            return List.of("nll", "--model", TINY.toString(), "--ids", IDS.toString(), "--memory", mem.toString(),
                    "--out", out.toString());
        }, new String[] {"mem.safetensors", "model.layers.1.mlp.memory.tau", nonFinite}));
        c.add(Arguments.of("lora-merge: NaN in the adapter", (Setup) (d, out) -> List.of("lora-merge", "--model",
                TINY.toString(), "--adapter", adapter(d, Float.NaN).toString(), "--out", out.toString()),
                new String[] {"adapter/adapter_model.safetensors", "'" + LORA_A + "'", nonFinite}));
        c.add(Arguments.of("lora-merge: Inf in the adapter", (Setup) (d, out) -> List.of("lora-merge", "--model",
                TINY.toString(), "--adapter", adapter(d, Float.POSITIVE_INFINITY).toString(), "--out",
                out.toString()), new String[] {"adapter_model.safetensors", LORA_A, nonFinite}));
        c.add(Arguments.of("lora-merge: f16 export overflows", (Setup) (d, out) -> {
            Path a = HostileFiles.copyDir(TestData.fixture("tiny-qwen3-lora-peft"), d, "adapter");
            long[] shape = {64, 4};
            float[] b = new float[64 * 4];
            java.util.Arrays.fill(b, 1e6f);
            HostileFiles.replace(a.resolve("adapter_model.safetensors"),
                    "base_model.model.model.layers.0.self_attn.o_proj.lora_B.weight", shape, b);
            return List.of("lora-merge", "--model", TINY.toString(), "--adapter", a.toString(), "--dtype", "f16",
                    "--out", out.toString());
        }, new String[] {"model.layers.0.self_attn.o_proj.weight", "beyond the range of F16", "--dtype"}));
        c.add(Arguments.of("ttt: training diverges", (Setup) (d, out) -> List.of("ttt", "--model", TINY.toString(),
                "--ids", IDS.toString(), "--window", "8", "--context", "8", "--lr", "1e30", "--steps", "3",
                "--json", d.resolve("ttt.json").toString(), "--out", out.toString()),
                new String[] {"at window 0", "lower the learning rate (--lr", "no metrics were written"}));
        c.add(Arguments.of("lora-ttt: training diverges", (Setup) (d, out) -> List.of("lora-ttt", "--model",
                TINY.toString(), "--ids", IDS.toString(), "--window", "8", "--context", "8", "--rank", "4",
                "--lr", "1e30", "--steps", "3", "--json", d.resolve("lora.json").toString(), "--out", out.toString()),
                new String[] {"at window", "lower the learning rate"}));
        c.add(Arguments.of("run: training diverges", (Setup) (d, out) -> List.of("run", "pg19", "--set",
                "run.methods=locas", "--set", "locas.lr=1e30", "--set", "training.stepsPerWindow=3", "--set", "pg19.maxTokens=512",
                "--out", out.toString()), new String[] {"at window", "lower the learning rate", "--set locas.lr="}));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithOneLineAndNothingWritten(String name, Setup setup, String[] expected) throws Exception {
        MESSAGES.put(name, BadInputTest.refused(tmp, name, setup, expected));
    }
}
