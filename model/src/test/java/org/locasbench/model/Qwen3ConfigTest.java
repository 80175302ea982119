package org.locasbench.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locasbench.model.config.Qwen3Config;

class Qwen3ConfigTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheClassicHubLayoutOfRealQwen3Configs() {
        Qwen3Config c = Qwen3Config.read(TestData.fixture("configs/Qwen3-0.6B.config.json"));
        assertThat(c.hiddenSize()).isEqualTo(1024);
        assertThat(c.intermediateSize()).isEqualTo(3072);
        assertThat(c.numHiddenLayers()).isEqualTo(28);
        assertThat(c.numAttentionHeads()).isEqualTo(16);
        assertThat(c.numKeyValueHeads()).isEqualTo(8);
        assertThat(c.headDim()).isEqualTo(128);
        assertThat(c.ropeTheta()).isEqualTo(1_000_000.0);
        assertThat(c.vocabSize()).isEqualTo(151936);
        assertThat(c.tieWordEmbeddings()).isTrue();
        assertThat(c.maxPositionEmbeddings()).isEqualTo(40960);
        assertThat(c.dtype()).isEqualTo("bfloat16");
        Qwen3Config base = Qwen3Config.read(TestData.fixture("configs/Qwen3-1.7B-Base.config.json"));
        assertThat(base.hiddenSize()).isEqualTo(2048);
        assertThat(base.intermediateSize()).isEqualTo(6144);
        assertThat(base.maxPositionEmbeddings()).isEqualTo(32768);
    }

    @Test
    void readsTheTransformers5Layout() {
        Qwen3Config c = Qwen3Config.read(TestData.fixture("tiny-qwen3-untied/config.json"));
        assertThat(c.ropeTheta()).isEqualTo(10000.0);
        assertThat(c.headDim()).isEqualTo(32);
        assertThat(c.tieWordEmbeddings()).isFalse();
        assertThat(c.dtype()).isEqualTo("bfloat16");
        assertThat(c.groupSize()).isEqualTo(4);
    }

    @Test
    void refusesSlidingWindowRopeScalingAndOtherModels() throws Exception {
        assertRefused(n -> n.put("use_sliding_window", true), "use_sliding_window is true");
        assertRefused(n -> n.putArray("layer_types").add("sliding_attention"), "sliding_attention");
        assertRefused(n -> n.putObject("rope_scaling").put("rope_type", "yarn"), "rope_scaling.rope_type is 'yarn'");
        assertRefused(n -> n.put("model_type", "llama"), "model_type is 'llama'");
        assertRefused(n -> n.remove("num_key_value_heads"), "missing required field 'num_key_value_heads'");
        assertRefused(n -> n.remove("rope_theta"), "missing rope_theta");
        assertRefused(n -> n.put("hidden_size", -3), "hidden_size must be a positive integer");
        assertRefused(n -> n.put("head_dim", 15), "head_dim is 15, but RoPE rotates pairs of dimensions");
        assertRefused(n -> n.put("num_key_value_heads", 5), "must be a multiple of num_key_value_heads (5)");
        assertRefused(n -> n.put("tie_word_embeddings", "yes"), "tie_word_embeddings must be true or false");
        assertRefused(n -> n.put("rms_norm_eps", "1e-6"), "rms_norm_eps must be a number, found \"1e-6\"");
    }

    @Test
    void corruptOrMissingFileNamesTheFile() throws Exception {
        Path bad = tmp.resolve("config.json");
        Files.writeString(bad, "{\"model_type\": \"qwen3\", ");
        assertThatThrownBy(() -> Qwen3Config.read(bad)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(bad.toString()).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> Qwen3Config.read(tmp.resolve("nope/config.json")))
                .hasMessageContaining("config.json not found");
    }

    private void assertRefused(java.util.function.Consumer<ObjectNode> edit, String message) throws Exception {
        ObjectNode node = (ObjectNode) new ObjectMapper().readTree(
                TestData.fixture("configs/Qwen3-0.6B.config.json").toFile());
        edit.accept(node);
        Path file = tmp.resolve("edited-" + Math.abs(message.hashCode()) + ".json");
        Files.writeString(file, node.toString());
        assertThatThrownBy(() -> Qwen3Config.read(file)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(message).hasMessageContaining(file.toString());
    }
}
