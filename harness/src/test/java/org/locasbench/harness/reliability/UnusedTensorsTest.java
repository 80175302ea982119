package org.locasbench.harness.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.locasbench.harness.reliability.BadInputTest.IDS;
import static org.locasbench.harness.reliability.BadInputTest.TINY;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
import org.locasbench.harness.cli.Main;
import org.locasbench.harness.reliability.BadInputTest.Setup;
import org.locasbench.model.TestData;

/**
 * Issue 18, class 2: a tensor nothing reads is an error, never silently dropped: checkpoint tensors the config does not
 * use, a tied lm_head that differs from the embedding, LoRA tensors of modules target_modules does not list (and
 * --targets names that are not projections), memory tensors beyond gate/key/value/tau.
 */
class UnusedTensorsTest {
    static Path tmp;
    static final Map<String, String> MESSAGES = new TreeMap<>();
    static final Path PEFT = TestData.fixture("tiny-qwen3-lora-peft");
    static final String EMBED = "model.embed_tokens.weight";

    @BeforeAll
    static void dir() throws Exception {
        tmp = Files.createTempDirectory("unused-tensors");
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
    }

    @AfterAll
    static void printTable() {
        System.out.println("unused-tensors table:");
        MESSAGES.forEach((k, v) -> System.out.println("| " + k + " | " + v + " |"));
    }

    static List<String> nll(Path model, Path out) {
        return List.of("nll", "--model", model.toString(), "--ids", IDS.toString(), "--out", out.toString());
    }

    static Path adapter(Path d, String configFrom, String configTo) throws Exception {
        Path a = HostileFiles.copyDir(PEFT, d, "adapter");
        if (configFrom != null) {
            HostileFiles.edit(a.resolve("adapter_config.json"), configFrom, configTo);
        }
        return a;
    }

    static List<String> merge(Path adapter, Path out) {
        return List.of("lora-merge", "--model", TINY.toString(), "--adapter", adapter.toString(), "--out",
                out.toString());
    }

    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        c.add(Arguments.of("config.json with fewer layers than the checkpoint", (Setup) (d, out) -> {
            Path m = HostileFiles.copyDir(TINY, d, "model");
            HostileFiles.edit(m.resolve("config.json"), "\"num_hidden_layers\": 2", "\"num_hidden_layers\": 1");
            return nll(m, out);
        }, new String[] {"model/model.safetensors", "tensor(s) that config.json does not use",
            "'model.layers.1.input_layernorm.weight'", "belong to different models"}));
        c.add(Arguments.of("a stray tensor in the checkpoint", (Setup) (d, out) -> {
            Path m = HostileFiles.copyDir(TINY, d, "model");
            HostileFiles.rewrite(m.resolve("model.safetensors"), n -> true,
                    Map.of("model.layers.0.mlp.extra.weight", new float[] {1, 2}));
            return nll(m, out);
        }, new String[] {"model.safetensors", "1 tensor(s) that config.json does not use",
            "'model.layers.0.mlp.extra.weight'"}));
        c.add(Arguments.of("a tied lm_head that differs from the embedding", (Setup) (d, out) -> {
            Path m = HostileFiles.copyDir(TINY, d, "model");
            HostileFiles.copyTensor(m.resolve("model.safetensors"), EMBED, "lm_head.weight");
            HostileFiles.poison(m.resolve("model.safetensors"), "lm_head.weight", 100, 0.5f);
            return nll(m, out);
        }, new String[] {"model.safetensors", "'lm_head.weight' is stored and differs from '" + EMBED + "'",
            "tie_word_embeddings"}));
        c.add(Arguments.of("LoRA tensors of a module target_modules lacks", (Setup) (d, out) -> merge(adapter(d,
                "\"o_proj\",", ""), out), new String[] {"adapter/adapter_model.safetensors",
                    "adapts o_proj, which target_modules in adapter_config.json does not list", "add 'o_proj'"}));
        c.add(Arguments.of("LoRA tensors of a layer the model lacks", (Setup) (d, out) -> {
            Path a = adapter(d, null, null);
            HostileFiles.copyTensor(a.resolve("adapter_model.safetensors"),
                    "base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight",
                    "base_model.model.model.layers.2.self_attn.q_proj.lora_A.weight");
            return merge(a, out);
        }, new String[] {"adapter_model.safetensors", "layers.2.self_attn.q_proj.lora_A.weight' is for layer 2",
            "the model has 2 layers"}));
        c.add(Arguments.of("a stray tensor in a LoRA adapter", (Setup) (d, out) -> {
            Path a = adapter(d, null, null);
            HostileFiles.rewrite(a.resolve("adapter_model.safetensors"), n -> true,
                    Map.of("base_model.model.lm_head.lora_A.weight", new float[] {1}));
            return merge(a, out);
        }, new String[] {"adapter_model.safetensors",
            "'base_model.model.lm_head.lora_A.weight' is not a LoRA weight"}));
        c.add(Arguments.of("an unknown target module in adapter_config.json", (Setup) (d, out) -> merge(adapter(d,
                "\"o_proj\",", "\"proj\","), out), new String[] {"adapter/adapter_config.json",
                    "target_modules: unknown projection 'proj'", "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj"}));
        c.add(Arguments.of("empty target_modules", (Setup) (d, out) -> {
            Path a = adapter(d, null, null);
            String cfg = Files.readString(a.resolve("adapter_config.json"));
            Files.writeString(a.resolve("adapter_config.json"), cfg.replaceAll("(?s)\"target_modules\": \\[.*?\\]",
                    "\"target_modules\": []"));
            return merge(a, out);
        }, new String[] {"adapter_config.json", "target_modules must be a non-empty list", "found []"}));
        c.add(Arguments.of("--targets proj", (Setup) (d, out) -> List.of("lora-ttt", "--model", TINY.toString(),
                "--ids", IDS.toString(), "--targets", "proj", "--out", out.toString()), new String[] {
                    "'lora.targets': 'proj' is not a projection",
                    "q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj", "(set by --targets)"}));
        c.add(Arguments.of("--targets empty", (Setup) (d, out) -> List.of("lora-ttt", "--model", TINY.toString(),
                "--ids", IDS.toString(), "--targets", "", "--out", out.toString()), new String[] {
                    "'lora.targets': must list at least one of q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, "
                            + "down_proj", "(set by --targets)"}));
        c.add(Arguments.of("--targets q_proj,,v_proj", (Setup) (d, out) -> List.of("lora-ttt", "--model",
                TINY.toString(), "--ids", IDS.toString(), "--targets", "q_proj,,v_proj", "--out", out.toString()),
                new String[] {"'lora.targets': empty list element in 'q_proj,,v_proj'", "(set by --targets)"}));
        c.add(Arguments.of("a memory tensor of a layer the model lacks", (Setup) (d, out) -> {
            Path mem = d.resolve("mem.safetensors");
            Files.copy(TINY.resolve("locas-memory.safetensors"), mem);
            HostileFiles.copyTensor(mem, "model.layers.1.mlp.memory.gate", "model.layers.2.mlp.memory.gate");
            return List.of("nll", "--model", TINY.toString(), "--ids", IDS.toString(), "--memory", mem.toString(),
                    "--out", out.toString());
        }, new String[] {"mem.safetensors", "1 tensor(s) that nothing reads", "'model.layers.2.mlp.memory.gate'"}));
        c.add(Arguments.of("a stray tensor in a memory", (Setup) (d, out) -> {
            Path mem = d.resolve("mem.safetensors");
            Files.copy(TINY.resolve("locas-memory.safetensors"), mem);
            HostileFiles.rewrite(mem, n -> true, Map.of("model.layers.0.mlp.memory.bias", new float[] {0}));
            return List.of("to-dense", "--model", TINY.toString(), "--memory", mem.toString(), "--out",
                    out.toString());
        }, new String[] {"mem.safetensors", "'model.layers.0.mlp.memory.bias'", "gate|key|value|tau"}));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithOneLineAndNothingWritten(String name, Setup setup, String[] expected) throws Exception {
        MESSAGES.put(name, BadInputTest.refused(tmp, name, setup, expected));
    }

    /** A tied lm_head stored byte for byte equal to the embedding (as Qwen3-1.7B-Base ships) is read, with a note. */
    @Test
    void aTiedLmHeadEqualToTheEmbeddingIsAccepted() throws Exception {
        Path m = HostileFiles.copyDir(TINY, Files.createTempDirectory(tmp, "tied"), "model");
        HostileFiles.copyTensor(m.resolve("model.safetensors"), EMBED, "lm_head.weight");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        PrintStream oldOut = System.out;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            code = Main.run("nll", "--model", m.toString(), "--ids", IDS.toString());
        } finally {
            System.setErr(old);
            System.setOut(oldOut);
        }
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("note: model.safetensors stores 'lm_head.weight'");
    }
}
