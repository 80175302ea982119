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
                .metadata("seed", String.valueOf(info.seed()))
                .metadata("initial_width", String.valueOf(info.initialWidth()))
                .metadata("growth", growth(info.growth()));
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

    /**
     * Loads a memory for {@code model}. Refused, naming the file and the field or tensor: another format, metadata
     * that is missing or not a number, a memory made for another model shape, a tensor of the wrong shape, a tau that
     * is empty, zero, negative or non-finite, and any tensor nothing reads.
     */
    public static LocasMemory load(Path file, Qwen3Model model) {
        SafetensorsFile f = SafetensorsFile.open(file);
        Map<String, String> meta = f.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new ModelFormatException(file, "not a Locas memory file (metadata format is " + meta.get("format")
                    + ", expected " + FORMAT + "); create one with `locas-bench memorize` or `ttt`");
        }
        int hidden = positive(file, meta, "hidden_size");
        int layers = positive(file, meta, "num_hidden_layers");
        int width = positive(file, meta, "width");
        if (hidden != model.config().hiddenSize() || layers != model.config().numHiddenLayers()) {
            throw new ModelFormatException(file, "memory was made for a model with hidden_size " + hidden + " and "
                    + layers + " layers (" + meta.get("base_model") + "), but " + model.directory() + " has hidden_size "
                    + model.config().hiddenSize() + " and " + model.config().numHiddenLayers() + " layers; use the "
                    + "memory with the model it was made for");
        }
        MemoryInfo info = new MemoryInfo(meta.get("base_model"), meta.get("base_model_fingerprint"), hidden, layers,
                width, parsed(file, "init", () -> InitStrategy.parse(required(file, meta, "init"))),
                parsed(file, "clipping", () -> Clipping.parse(required(file, meta, "clipping"))),
                parsed(file, "seed", () -> Long.parseLong(meta.getOrDefault("seed", "0"))),
                parsed(file, "growth", () -> growth(meta.getOrDefault("growth", ""), width)));
        refuseUnread(f, layers);
        String fingerprint = ModelFingerprint.of(model.directory());
        if (!fingerprint.equals(meta.get("base_model_fingerprint"))) {
            System.err.println("warning: " + file + " was made for " + meta.get("base_model") + " (fingerprint "
                    + meta.get("base_model_fingerprint") + "), not for " + model.directory() + " (" + fingerprint
                    + "); same shape, so it is used anyway");
        }
        DataType type = model.precision().masterType();
        List<MemoryLayer> memory = new ArrayList<>();
        Shape shape = new Shape(width, hidden);
        for (int i = 0; i < layers; i++) {
            for (String part : new String[] {"gate", "key", "value"}) {
                long[] actual = f.entry(name(i, part)).shape();
                if (actual.length != 2 || actual[0] != width || actual[1] != hidden) {
                    throw new ModelFormatException(file, name(i, part) + " has shape " + java.util.Arrays.toString(
                            actual) + ", expected [" + width + ", " + hidden + "] (width and hidden_size of the "
                            + "metadata)");
                }
            }
            memory.add(new MemoryLayer(model.manager().create(f.floats(name(i, "gate")), shape).toType(type, false),
                    model.manager().create(f.floats(name(i, "key")), shape).toType(type, false),
                    model.manager().create(f.floats(name(i, "value")), shape).toType(type, false),
                    tau(f, i)));
        }
        return new LocasMemory(model.manager(), memory, info);
    }

    /** {@link #growth(List)} of a memory's info. */
    public static String growthText(MemoryInfo info) {
        return growth(info.growth());
    }

    /** An expandable memory's growth history as "window:added:width" steps separated by ';' ("" = never grew). */
    static String growth(List<MemoryInfo.Growth> steps) {
        return String.join(";", steps.stream().map(g -> g.window() + ":" + g.added() + ":" + g.width()).toList());
    }

    /** The history {@link #growth(List)} wrote; its steps must add up to {@code width}. */
    static List<MemoryInfo.Growth> growth(String text, int width) {
        List<MemoryInfo.Growth> steps = new ArrayList<>();
        if (text.isBlank()) {
            return steps;
        }
        int previous = -1;
        for (String step : text.split(";")) {
            String[] f = step.split(":");
            if (f.length != 3) {
                throw new IllegalArgumentException("step '" + step + "' is not window:added:width");
            }
            MemoryInfo.Growth g = new MemoryInfo.Growth(Integer.parseInt(f[0].trim()), Integer.parseInt(f[1].trim()),
                    Integer.parseInt(f[2].trim()));
            if (g.added() < 1 || g.window() <= previous || (!steps.isEmpty() && g.width() != steps.get(steps.size()
                    - 1).width() + g.added())) {
                throw new IllegalArgumentException("step '" + step + "' does not follow the one before it");
            }
            previous = g.window();
            steps.add(g);
        }
        if (steps.get(steps.size() - 1).width() != width || steps.get(0).width() - steps.get(0).added() < 1) {
            throw new IllegalArgumentException("the history ends at width " + steps.get(steps.size() - 1).width()
                    + " but the memory's width is " + width);
        }
        return steps;
    }

    /** tau of one layer: one positive number, as memorize computes it (mean column norm of W_down / r). */
    private static float tau(SafetensorsFile f, int layer) {
        String name = name(layer, "tau");
        long[] shape = f.entry(name).shape();
        if (!java.util.Arrays.equals(shape, new long[] {1})) {
            throw new ModelFormatException(f.path(), name + " has shape " + java.util.Arrays.toString(shape)
                    + ", expected [1] (one scale per layer); the memory file is corrupt: make it again with "
                    + "`locas-bench memorize` or `ttt`");
        }
        float tau = f.floats(name)[0];
        if (!(tau > 0)) {
            throw new ModelFormatException(f.path(), name + " is " + tau + "; tau must be positive (memorize sets it "
                    + "to the mean column norm of down_proj / width): the memory file is corrupt, make it again");
        }
        return tau;
    }

    /** Every tensor must be the gate, key, value or tau of a layer 0..layers-1. */
    private static void refuseUnread(SafetensorsFile f, int layers) {
        java.util.Set<String> expected = new java.util.HashSet<>();
        for (int i = 0; i < layers; i++) {
            for (String part : new String[] {"gate", "key", "value", "tau"}) {
                expected.add(name(i, part));
            }
        }
        List<String> unread = f.tensors().keySet().stream().filter(n -> !expected.contains(n)).sorted().toList();
        if (!unread.isEmpty()) {
            throw new ModelFormatException(f.path(), unread.size() + " tensor(s) that nothing reads, e.g. '"
                    + unread.get(0) + "'; a memory of num_hidden_layers " + layers + " holds only "
                    + "model.layers.{0.." + (layers - 1) + "}.mlp.memory.gate|key|value|tau: the file was edited or "
                    + "made by another tool");
        }
    }

    private static String required(Path file, Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) {
            throw new ModelFormatException(file, "metadata lacks '" + key + "'; the memory file is incomplete: make "
                    + "it again with `locas-bench memorize` or `ttt`");
        }
        return v;
    }

    private static int positive(Path file, Map<String, String> meta, String key) {
        String v = required(file, meta, key);
        try {
            int n = Integer.parseInt(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ModelFormatException(file, "metadata '" + key + "' is '" + v + "', not a positive integer; the "
                + "memory file is corrupt: make it again with `locas-bench memorize` or `ttt`");
    }

    private static <T> T parsed(Path file, String key, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (ModelFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "metadata '" + key + "': " + e.getMessage());
        }
    }
}
