package org.locasbench.locas;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.locasbench.model.ModelFingerprint;
import org.locasbench.model.ModelFormatException;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.safetensors.SafetensorsFile;
import org.locasbench.model.safetensors.SafetensorsWriter;
import org.locasbench.model.safetensors.StoredType;

/**
 * A Locas memory on disk: safetensors, fp32, tensors {@code model.layers.{i}.mlp.memory.gate|key|value} [r, d] and
 * {@code model.layers.{i}.mlp.memory.tau} [1], with metadata naming the base model. Python's {@code safetensors} reads
 * it as is.
 */
public final class MemoryFile {
    public static final String FORMAT = "locas-memory/1";

    private MemoryFile() {}

    static String name(int layer, String part) {
        return "model.layers." + layer + ".mlp.memory." + part;
    }

    public static void save(LocasMemory memory, Path file) throws IOException {
        MemoryInfo info = memory.info();
        SafetensorsWriter w = new SafetensorsWriter()
                .metadata("format", FORMAT)
                .metadata("base_model", info.baseModel())
                .metadata("base_model_fingerprint", info.baseFingerprint())
                .metadata("hidden_size", String.valueOf(info.hiddenSize()))
                .metadata("num_hidden_layers", String.valueOf(info.layers()))
                .metadata("width", String.valueOf(info.width()))
                .metadata("init", info.init().id())
                .metadata("clipping", info.clipping().name().toLowerCase(java.util.Locale.ROOT))
                .metadata("seed", String.valueOf(info.seed()));
        long[] shape = {info.width(), info.hiddenSize()};
        for (int i = 0; i < memory.layers(); i++) {
            MemoryLayer l = memory.layer(i);
            w.add(name(i, "gate"), fp32(l.gate()), shape, StoredType.F32);
            w.add(name(i, "key"), fp32(l.key()), shape, StoredType.F32);
            w.add(name(i, "value"), fp32(l.value()), shape, StoredType.F32);
            w.add(name(i, "tau"), new float[] {l.tau()}, new long[] {1}, StoredType.F32);
        }
        w.write(file);
    }

    private static float[] fp32(NDArray a) {
        return a.getDataType() == DataType.FLOAT32 ? a.toFloatArray() : a.toType(DataType.FLOAT32, true).toFloatArray();
    }

    /** Loads a memory for {@code model}; a memory made for another model shape is refused. */
    public static LocasMemory load(Path file, Qwen3Model model) {
        SafetensorsFile f = SafetensorsFile.open(file);
        Map<String, String> meta = f.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new ModelFormatException(file, "not a Locas memory file (metadata format is " + meta.get("format")
                    + ", expected " + FORMAT + "); create one with `locas-bench memorize` or `ttt`");
        }
        int hidden = Integer.parseInt(meta.get("hidden_size"));
        int layers = Integer.parseInt(meta.get("num_hidden_layers"));
        int width = Integer.parseInt(meta.get("width"));
        if (hidden != model.config().hiddenSize() || layers != model.config().numHiddenLayers()) {
            throw new ModelFormatException(file, "memory was made for a model with hidden_size " + hidden + " and "
                    + layers + " layers (" + meta.get("base_model") + "), but " + model.directory() + " has hidden_size "
                    + model.config().hiddenSize() + " and " + model.config().numHiddenLayers() + " layers; use the "
                    + "memory with the model it was made for");
        }
        String fingerprint = ModelFingerprint.of(model.directory());
        if (!fingerprint.equals(meta.get("base_model_fingerprint"))) {
            System.getLogger(MemoryFile.class.getName()).log(System.Logger.Level.WARNING, file + " was made for "
                    + meta.get("base_model") + " (fingerprint " + meta.get("base_model_fingerprint") + "), not for "
                    + model.directory() + " (" + fingerprint + "); same shape, so it is used anyway");
        }
        DataType type = model.precision().masterType();
        List<MemoryLayer> memory = new ArrayList<>();
        Shape shape = new Shape(width, hidden);
        for (int i = 0; i < layers; i++) {
            for (String part : new String[] {"gate", "key", "value"}) {
                long[] actual = f.entry(name(i, part)).shape();
                if (actual.length != 2 || actual[0] != width || actual[1] != hidden) {
                    throw new ModelFormatException(file, name(i, part) + " has shape " + java.util.Arrays.toString(
                            actual) + ", expected [" + width + ", " + hidden + "]");
                }
            }
            memory.add(new MemoryLayer(model.manager().create(f.floats(name(i, "gate")), shape).toType(type, false),
                    model.manager().create(f.floats(name(i, "key")), shape).toType(type, false),
                    model.manager().create(f.floats(name(i, "value")), shape).toType(type, false),
                    f.floats(name(i, "tau"))[0]));
        }
        MemoryInfo info = new MemoryInfo(meta.get("base_model"), meta.get("base_model_fingerprint"), hidden, layers,
                width, InitStrategy.parse(meta.get("init")), Clipping.parse(meta.get("clipping")),
                Long.parseLong(meta.getOrDefault("seed", "0")));
        return new LocasMemory(model.manager(), memory, info);
    }
}
