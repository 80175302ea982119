package org.locasbench.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locasbench.model.config.Qwen3Config;
import org.locasbench.model.safetensors.Checkpoint;
import org.locasbench.model.safetensors.DerivedCheckpoint;
import org.locasbench.model.safetensors.FloatConversion;
import org.locasbench.model.safetensors.SafetensorsWriter;
import org.locasbench.model.safetensors.ShardedWriter;
import org.locasbench.model.safetensors.StoredType;

/** Sharded, streamed checkpoint writing as transformers' save_pretrained does it, and its reading back. */
class ShardedCheckpointTest {
    @TempDir
    Path tmp;

    private static SafetensorsWriter.TensorSource zeros(long bytes) {
        return out -> out.write(new byte[(int) bytes]);
    }

    @Test
    void shardsSplitByHuggingfaceHubsRule() {
        // U8 tensors of 3, 5, 2, 7, 1, 9, 4 bytes with an 8-byte maximum, worked by hand from
        // huggingface_hub's split_state_dict_into_shards_factory: a shard closes when the next tensor would pass the
        // maximum; a tensor above the maximum (9) is a shard of its own, emitted at once
        ShardedWriter w = new ShardedWriter();
        String[] names = {"a", "b", "c", "d", "e", "f", "g"};
        long[] sizes = {3, 5, 2, 7, 1, 9, 4};
        for (int i = 0; i < names.length; i++) {
            w.add(names[i], StoredType.U8, new long[] {sizes[i]}, zeros(sizes[i]));
        }
        assertThat(w.plan(8)).containsExactly(List.of("a", "b"), List.of("c"), List.of("f"), List.of("d", "e"),
                List.of("g"));
    }

    @Test
    void sizesParseAsTransformersReadsThem() {
        assertThat(ShardedWriter.parseSize("5GB")).isEqualTo(5_000_000_000L);
        assertThat(ShardedWriter.parseSize("50GB")).isEqualTo(50_000_000_000L);
        assertThat(ShardedWriter.parseSize("2GiB")).isEqualTo(1L << 31);
        assertThat(ShardedWriter.parseSize("200KB")).isEqualTo(200_000L);
        assertThat(ShardedWriter.parseSize("1.5MB")).isEqualTo(1_500_000L);
        assertThat(ShardedWriter.parseSize("4096")).isEqualTo(4096L);
        assertThatThrownBy(() -> ShardedWriter.parseSize("5 parsecs")).hasMessageContaining("invalid size");
        assertThatThrownBy(() -> ShardedWriter.parseSize("0")).hasMessageContaining("positive");
    }

    @Test
    void f16NarrowingRoundsToNearestEvenLikeTorchHalf() {
        // bit patterns of torch.tensor(x).half() (IEEE binary16)
        assertThat(FloatConversion.floatToF16(1.0f)).isEqualTo((short) 0x3c00);
        assertThat(FloatConversion.floatToF16(-2.0f)).isEqualTo((short) 0xc000);
        assertThat(FloatConversion.floatToF16(65504f)).isEqualTo((short) 0x7bff);
        assertThat(FloatConversion.floatToF16(65520f)).isEqualTo((short) 0x7c00); // rounds up to Inf
        assertThat(FloatConversion.floatToF16(0x1p-24f)).isEqualTo((short) 0x0001); // smallest subnormal
        assertThat(FloatConversion.floatToF16(0x1p-25f)).isEqualTo((short) 0x0000); // tie to even: 0
        assertThat(FloatConversion.floatToF16(1f / 3)).isEqualTo((short) 0x3555);
        assertThat(FloatConversion.floatToF16(0.1f)).isEqualTo((short) 0x2e66);
        assertThat(FloatConversion.floatToF16(1f + 0x1p-11f)).isEqualTo((short) 0x3c00); // tie to even: down
        assertThat(FloatConversion.floatToF16(1f + 3 * 0x1p-11f)).isEqualTo((short) 0x3c02); // tie to even: up
        for (short h : new short[] {0x3c00, (short) 0xc000, 0x7bff, 0x0001, 0x03ff, 0x3555, 0x2e66}) {
            assertThat(FloatConversion.floatToF16(FloatConversion.f16ToFloat(h))).isEqualTo(h);
        }
    }

    @Test
    void derivedCheckpointShardsKeepBytesAndIndexAndLoadBack() throws Exception {
        Path base = TestData.fixture("tiny-qwen3");
        Path out = tmp.resolve("resharded");
        Qwen3Config config = Qwen3Config.read(base.resolve("config.json"));
        new DerivedCheckpoint(base, config).maxShardBytes(ShardedWriter.parseSize("100KB")).write(out);

        Checkpoint original = Checkpoint.open(base);
        Checkpoint copy = Checkpoint.open(out);
        assertThat(copy.names()).containsExactlyInAnyOrderElementsOf(original.names());
        long total = 0;
        for (String name : original.names()) {
            assertThat(copy.entry(name).type()).as(name).isEqualTo(original.entry(name).type());
            assertThat(copy.bytes(name)).as(name).isEqualTo(original.bytes(name));
            total += original.entry(name).byteLength();
        }
        JsonNode index = new ObjectMapper().readTree(out.resolve(Checkpoint.INDEX).toFile());
        assertThat(index.get("metadata").get("total_size").asLong()).isEqualTo(total);
        List<String> shards = Files.list(out).map(p -> p.getFileName().toString())
                .filter(n -> n.endsWith(".safetensors")).sorted().toList();
        assertThat(shards.size()).isGreaterThan(2);
        for (int i = 0; i < shards.size(); i++) {
            assertThat(shards.get(i)).isEqualTo(String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size()));
            assertThat(Files.size(out.resolve(shards.get(i)))).isLessThan(100_000 + 4096); // + header
        }
        assertThat(Files.list(tmp).map(p -> p.getFileName().toString())).containsExactly("resharded");

        try (Qwen3Model a = Qwen3Model.load(base); Qwen3Model b = Qwen3Model.load(out);
                NDManager m = NDManager.newBaseManager()) {
            var ids = m.create(new long[] {1, 5, 9, 2, 7}, new Shape(1, 5));
            assertThat(b.logits(ids).toFloatArray()).containsExactly(a.logits(ids).toFloatArray());
        }
    }

    @Test
    void derivedCheckpointRefusesANonEmptyTarget() throws Exception {
        Path base = TestData.fixture("tiny-qwen3");
        Path out = Files.createDirectories(tmp.resolve("taken"));
        Files.writeString(out.resolve("x"), "x");
        assertThatThrownBy(() -> new DerivedCheckpoint(base, Qwen3Config.read(base.resolve("config.json"))).write(out))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("not empty");
    }
}
