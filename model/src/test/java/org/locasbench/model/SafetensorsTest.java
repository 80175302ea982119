package org.locasbench.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locasbench.model.safetensors.Checkpoint;
import org.locasbench.model.safetensors.FloatConversion;
import org.locasbench.model.safetensors.SafetensorsFile;
import org.locasbench.model.safetensors.SafetensorsWriter;
import org.locasbench.model.safetensors.StoredType;
import org.locasbench.model.safetensors.TensorEntry;

class SafetensorsTest {
    @TempDir
    Path tmp;

    @Test
    void bf16AndF16WideningAreExact() {
        assertThat(FloatConversion.bf16ToFloat((short) 0x3f80)).isEqualTo(1.0f);
        assertThat(FloatConversion.bf16ToFloat((short) 0xc040)).isEqualTo(-3.0f);
        assertThat(FloatConversion.f16ToFloat((short) 0x3c00)).isEqualTo(1.0f);
        assertThat(FloatConversion.f16ToFloat((short) 0xc000)).isEqualTo(-2.0f);
        assertThat(FloatConversion.f16ToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(FloatConversion.f16ToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
        // round to nearest even: 1 + 2^-8 is exactly between two bf16 values and rounds down to 1
        assertThat(FloatConversion.floatToBf16(1.0f + 0x1p-8f)).isEqualTo((short) 0x3f80);
        assertThat(FloatConversion.floatToBf16(1.0f + 0x1p-8f + 0x1p-20f)).isEqualTo((short) 0x3f81);
    }

    @Test
    void writerRoundTripsF32Bf16AndI64WithMetadata() throws IOException {
        Path file = tmp.resolve("t.safetensors");
        float[] values = {1.5f, -2.25f, 3.0e-3f, 7f, 0f, -0f};
        new SafetensorsWriter().metadata("format", "pt")
                .add("a", values, new long[] {2, 3}, StoredType.F32)
                .add("b", values, new long[] {6}, StoredType.BF16)
                .add("ids", new long[] {5, 6, 7}, new long[] {1, 3})
                .write(file);
        SafetensorsFile f = SafetensorsFile.open(file);
        assertThat(f.metadata()).containsEntry("format", "pt");
        assertThat(f.floats("a")).containsExactly(values);
        assertThat(f.entry("b").type()).isEqualTo(StoredType.BF16);
        assertThat(f.floats("b")[2]).isCloseTo(3.0e-3f, org.assertj.core.data.Offset.offset(2e-5f));
        assertThat(f.longs("ids")).containsExactly(5, 6, 7);
        assertThat(Files.list(tmp)).containsExactly(file); // no temporary file left behind
    }

    @Test
    void shardedCheckpointLoadsLikeTheSingleFile() throws IOException {
        Path source = TestData.fixture("tiny-qwen3");
        Path sharded = tmp.resolve("sharded");
        Files.createDirectories(sharded);
        Files.copy(source.resolve("config.json"), sharded.resolve("config.json"));
        SafetensorsFile single = SafetensorsFile.open(source.resolve("model.safetensors"));
        SafetensorsWriter first = new SafetensorsWriter();
        SafetensorsWriter second = new SafetensorsWriter();
        StringBuilder map = new StringBuilder();
        int i = 0;
        for (TensorEntry e : single.tensors().values()) {
            boolean inFirst = i++ % 2 == 0;
            (inFirst ? first : second).addRaw(e.name(), e.type(), e.shape(), single.bytes(e.name()));
            map.append(map.length() == 0 ? "" : ",").append('"').append(e.name()).append("\":\"model-0000")
                    .append(inFirst ? 1 : 2).append("-of-00002.safetensors\"");
        }
        first.write(sharded.resolve("model-00001-of-00002.safetensors"));
        second.write(sharded.resolve("model-00002-of-00002.safetensors"));
        Files.writeString(sharded.resolve(Checkpoint.INDEX), "{\"metadata\":{},\"weight_map\":{" + map + "}}");
        try (Qwen3Model a = Qwen3Model.load(source); Qwen3Model b = Qwen3Model.load(sharded);
                NDManager scope = a.manager().newSubManager()) {
            NDArray ids = scope.create(new long[] {1, 2, 3, 4, 5}, new Shape(1, 5));
            assertThat(b.logits(ids).toFloatArray()).containsExactly(a.logits(ids).toFloatArray());
        }
    }

    @Test
    void corruptFilesFailWithTheFileAndTensorNamed() throws IOException {
        assertCorrupt(header("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"), 4,
                "outside the data section");
        assertCorrupt(header("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}"), 8,
                "needs 12 bytes but data_offsets span 8");
        assertCorrupt(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}"), 8, "overlaps");
        assertCorrupt(header("{\"w\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,8]}}"), 8,
                "dtype 'Q4'");
        assertCorrupt(header("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}"), 8,
                "header is not valid JSON");
        Path tiny = tmp.resolve("short.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafetensorsFile.open(tiny)).hasMessageContaining("too short");
        Path huge = tmp.resolve("huge-header.safetensors");
        Files.write(huge, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1_000_000).array());
        assertThatThrownBy(() -> SafetensorsFile.open(huge)).hasMessageContaining("header length 1000000");
        Path ok = tmp.resolve("ok.safetensors");
        new SafetensorsWriter().add("w", new float[] {1, 2}, new long[] {2}, StoredType.F32).write(ok);
        assertThatThrownBy(() -> SafetensorsFile.open(ok).entry("missing"))
                .hasMessageContaining("missing tensor 'missing'");
    }

    @Test
    void truncatedModelFileIsRefusedOnLoad() throws IOException {
        Path dir = tmp.resolve("truncated");
        Files.createDirectories(dir);
        Path source = TestData.fixture("tiny-qwen3");
        Files.copy(source.resolve("config.json"), dir.resolve("config.json"));
        byte[] bytes = Files.readAllBytes(source.resolve("model.safetensors"));
        Files.write(dir.resolve("model.safetensors"), java.util.Arrays.copyOf(bytes, bytes.length - 1000));
        assertThatThrownBy(() -> Qwen3Model.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("model.safetensors").hasMessageContaining("truncated");
    }

    private byte[] header(String json) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array();
    }

    private void assertCorrupt(byte[] header, int dataBytes, String message) throws IOException {
        Path file = tmp.resolve("bad" + Math.abs(message.hashCode()) + ".safetensors");
        byte[] all = java.util.Arrays.copyOf(header, header.length + dataBytes);
        Files.write(file, all);
        assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining(message);
    }
}
