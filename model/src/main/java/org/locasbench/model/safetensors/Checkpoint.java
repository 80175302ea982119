package org.locasbench.model.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.locasbench.model.JsonFields;
import org.locasbench.model.ModelFormatException;

/**
 * The weights of a Hugging Face model directory: one {@code model.safetensors}, or shards listed in
 * {@code model.safetensors.index.json} ({@code weight_map}: tensor name -> shard file).
 */
public final class Checkpoint {
    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";

    private final Map<String, SafetensorsFile> byTensor;

    private Checkpoint(Map<String, SafetensorsFile> byTensor) {
        this.byTensor = byTensor;
    }

    public static Checkpoint open(Path modelDir) {
        Path index = modelDir.resolve(INDEX);
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        if (Files.exists(index)) {
            Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
            JsonNode weightMap = readIndex(index);
            weightMap.fields().forEachRemaining(e -> {
                SafetensorsFile shard = shards.computeIfAbsent(e.getValue().asText(),
                        f -> SafetensorsFile.open(modelDir.resolve(f)));
                if (!shard.tensors().containsKey(e.getKey())) {
                    throw new ModelFormatException(index, "weight_map puts '" + e.getKey() + "' in " + shard.path()
                            .getFileName() + ", which does not contain it; the index and shards are from different "
                            + "revisions: download the model again");
                }
                byTensor.put(e.getKey(), shard);
            });
        } else if (Files.exists(modelDir.resolve(SINGLE))) {
            SafetensorsFile file = SafetensorsFile.open(modelDir.resolve(SINGLE));
            file.tensors().keySet().forEach(name -> byTensor.put(name, file));
        } else {
            throw new ModelFormatException(modelDir, "no " + SINGLE + " or " + INDEX + " in the model directory; "
                    + "only safetensors checkpoints are supported (convert .bin/.pth with transformers' save_pretrained)");
        }
        return new Checkpoint(Collections.unmodifiableMap(byTensor));
    }

    private static JsonNode readIndex(Path index) {
        try {
            JsonNode weightMap = new ObjectMapper().readTree(Files.readString(index)).get("weight_map");
            if (weightMap == null || !weightMap.isObject()) {
                throw new ModelFormatException(index, "no 'weight_map' object; the index file is corrupt");
            }
            return weightMap;
        } catch (IOException e) {
            throw new ModelFormatException(index, "cannot read the shard index: " + JsonFields.describe(e), e);
        }
    }

    public Set<String> names() {
        return byTensor.keySet();
    }

    public boolean has(String name) {
        return byTensor.containsKey(name);
    }

    public TensorEntry entry(String name) {
        return file(name).entry(name);
    }

    public float[] floats(String name) {
        return file(name).floats(name);
    }

    /** Widens one tensor to fp32 into {@code dst}, checking every value finite (see {@link SafetensorsFile#readFloat32}). */
    public void readFloat32(String name, java.nio.FloatBuffer dst) {
        file(name).readFloat32(name, dst);
    }

    public java.nio.ByteBuffer window(String name, long offset, int length) {
        return file(name).window(name, offset, length);
    }

    public java.nio.ByteBuffer bytes(String name) {
        return file(name).bytes(name);
    }

    public Path fileOf(String name) {
        return file(name).path();
    }

    private SafetensorsFile file(String name) {
        SafetensorsFile f = byTensor.get(name);
        if (f == null) {
            throw new ModelFormatException(byTensor.isEmpty() ? Path.of("?") : byTensor.values().iterator().next()
                    .path(), "missing tensor '" + name + "'; the checkpoint does not have the Qwen3 layout this "
                    + "config.json describes");
        }
        return f;
    }
}
