package org.locasbench.model.safetensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.locasbench.model.ModelFormatException;
import org.locasbench.model.config.Qwen3Config;

/**
 * Writes a plain Hugging Face model directory derived from a base one: some tensors replaced (Locas {@code to_dense},
 * LoRA merge), every other tensor copied, {@code config.json} rewritten, tokenizer files copied. The directory is
 * assembled beside the target and renamed into place, so an interrupted export leaves nothing that looks complete.
 */
public final class DerivedCheckpoint {
    private static final List<String> COPIED = List.of("tokenizer.json", "tokenizer_config.json",
            "generation_config.json", "special_tokens_map.json", "vocab.json", "merges.txt");

    /** A replacement tensor, fp32 values in row-major order. */
    public record Tensor(float[] values, long[] shape) {}

    private final Path baseDir;
    private final Qwen3Config config;
    private final Map<String, Tensor> replaced = new LinkedHashMap<>();
    private StoredType storedType = StoredType.F32;

    public DerivedCheckpoint(Path baseDir, Qwen3Config config) {
        this.baseDir = baseDir;
        this.config = config;
    }

    public DerivedCheckpoint replace(String name, Tensor tensor) {
        replaced.put(name, tensor);
        return this;
    }

    /** F32 (default: exact) or BF16 (half the size, rounded) for every tensor of the output. */
    public DerivedCheckpoint storedAs(StoredType type) {
        if (type != StoredType.F32 && type != StoredType.BF16) {
            throw new IllegalArgumentException("derived checkpoints are stored as F32 or BF16, not " + type);
        }
        this.storedType = type;
        return this;
    }

    public void write(Path outDir) throws IOException {
        if (Files.exists(outDir) && (!Files.isDirectory(outDir) || hasEntries(outDir))) {
            throw new ModelFormatException(outDir, "output directory exists and is not empty; choose a new --out or "
                    + "delete it");
        }
        Checkpoint base = Checkpoint.open(baseDir);
        for (String name : replaced.keySet()) {
            if (!base.has(name)) {
                throw new IllegalArgumentException("replaced tensor '" + name + "' is not in the base checkpoint");
            }
        }
        Path parent = outDir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + outDir.getFileName() + ".partial-");
        try {
            SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
            for (String name : base.names()) {
                Tensor t = replaced.get(name);
                if (t != null) {
                    writer.add(name, t.values(), t.shape(), storedType);
                } else if (base.entry(name).type() == storedType) {
                    writer.addRaw(name, storedType, base.entry(name).shape(), base.bytes(name));
                } else {
                    writer.add(name, base.floats(name), base.entry(name).shape(), storedType);
                }
            }
            writer.write(staging.resolve(Checkpoint.SINGLE));
            config.write(staging.resolve("config.json"), storedType == StoredType.F32 ? "float32" : "bfloat16");
            for (String f : COPIED) {
                if (Files.exists(baseDir.resolve(f))) {
                    Files.copy(baseDir.resolve(f), staging.resolve(f));
                }
            }
            Files.deleteIfExists(outDir);
            Files.move(staging, outDir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(staging)) {
                try (Stream<Path> walk = Files.walk(staging)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    private static boolean hasEntries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        }
    }
}
