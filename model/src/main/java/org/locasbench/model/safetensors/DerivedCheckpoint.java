package org.locasbench.model.safetensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.locasbench.model.AtomicFiles;
import org.locasbench.model.ModelFormatException;
import org.locasbench.model.config.Qwen3Config;

/**
 * Writes a plain Hugging Face model directory derived from a base one: some tensors replaced (Locas {@code to_dense},
 * LoRA merge), every other tensor copied, {@code config.json} rewritten, tokenizer files copied.
 *
 * <p>Streamed and sharded like transformers' {@code save_pretrained}: a replaced tensor is computed only when it is
 * written, copied tensors go from the base's memory mapping to disk in chunks, so memory holds one tensor at a time
 * whatever the model's size. Each tensor keeps the base checkpoint's dtype unless {@link #storedAs} asks for another.
 * The directory is assembled beside the target and renamed into place, so an interrupted export leaves nothing that
 * looks complete.
 */
public final class DerivedCheckpoint {
    private static final List<String> COPIED = List.of("tokenizer.json", "tokenizer_config.json",
            "generation_config.json", "special_tokens_map.json", "vocab.json", "merges.txt");

    private record Replacement(long[] shape, Supplier<float[]> values) {}

    private final Path baseDir;
    private final Qwen3Config config;
    private final Map<String, Replacement> replaced = new LinkedHashMap<>();
    private StoredType storedType; // null: each tensor as the base stores it
    private long maxShardBytes = ShardedWriter.parseSize(ShardedWriter.DEFAULT_MAX_SHARD_SIZE);

    public DerivedCheckpoint(Path baseDir, Qwen3Config config) {
        this.baseDir = baseDir;
        this.config = config;
    }

    /** Replaces a base tensor; {@code values} (fp32, row-major) is called once, when that tensor is written. */
    public DerivedCheckpoint replace(String name, long[] shape, Supplier<float[]> values) {
        replaced.put(name, new Replacement(shape.clone(), values));
        return this;
    }

    /** Stores every tensor as F32, BF16 or F16; {@code null} (the default) keeps the base checkpoint's dtypes. */
    public DerivedCheckpoint storedAs(StoredType type) {
        if (type != null && type != StoredType.F32 && type != StoredType.BF16 && type != StoredType.F16) {
            throw new IllegalArgumentException("derived checkpoints are stored as F32, BF16 or F16, not " + type);
        }
        this.storedType = type;
        return this;
    }

    public DerivedCheckpoint options(ExportOptions options) {
        return storedAs(options.dtype()).maxShardBytes(options.maxShardBytes());
    }

    /** The largest shard in bytes (transformers' {@code max_shard_size}). */
    public DerivedCheckpoint maxShardBytes(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("max shard size must be positive, got " + bytes);
        }
        this.maxShardBytes = bytes;
        return this;
    }

    /** Writes the directory as one unit ({@link AtomicFiles#writeDirectory}): nothing looks complete if cut off. */
    public void write(Path outDir) throws IOException {
        Checkpoint base = Checkpoint.open(baseDir);
        for (String name : replaced.keySet()) {
            if (!base.has(name)) {
                throw new IllegalArgumentException("replaced tensor '" + name + "' is not in the base checkpoint");
            }
        }
        AtomicFiles.writeDirectory(outDir, staging -> {
            ShardedWriter writer = new ShardedWriter();
            for (String name : base.names()) {
                TensorEntry entry = base.entry(name);
                StoredType type = storedType != null ? storedType : entry.type();
                Replacement r = replaced.get(name);
                if (r != null) {
                    writer.add(name, type, r.shape(), SafetensorsWriter.floatSource(name, r.values(), type));
                } else {
                    writer.add(name, type, entry.shape(), copy(base, entry, type));
                }
            }
            writer.write(staging, maxShardBytes);
            config.write(staging.resolve("config.json"), dtypeName(storedType != null ? storedType
                    : base.entry(base.names().iterator().next()).type()));
            for (String f : COPIED) {
                if (Files.exists(baseDir.resolve(f))) {
                    Files.copy(baseDir.resolve(f), staging.resolve(f));
                }
            }
        });
    }

    /** A base tensor as {@code type}: its bytes when the dtype is kept, else widened and narrowed chunk by chunk. */
    private static SafetensorsWriter.TensorSource copy(Checkpoint base, TensorEntry entry, StoredType type) {
        int window = 1 << 24; // bytes mapped at a time; a multiple of every dtype width
        return out -> {
            if (entry.type() == type) {
                for (long off = 0; off < entry.byteLength(); off += window) {
                    int n = (int) Math.min(window, entry.byteLength() - off);
                    SafetensorsWriter.copy(base.window(entry.name(), off, n), out);
                }
                return;
            }
            int width = entry.type().bytes();
            float[] chunk = new float[window / width];
            java.nio.ByteBuffer encoded = java.nio.ByteBuffer.allocate(chunk.length * type.bytes());
            for (long off = 0; off < entry.byteLength(); off += window) {
                int n = (int) Math.min(window, entry.byteLength() - off);
                int count = n / width;
                java.nio.FloatBuffer dst = java.nio.FloatBuffer.wrap(chunk);
                if (FloatConversion.widenChecked(base.window(entry.name(), off, n), entry.type(), count, dst) >= 0) {
                    throw new ModelFormatException(base.fileOf(entry.name()), "tensor '" + entry.name() + "' holds a "
                            + "non-finite value; the base checkpoint is corrupt");
                }
                int bad = FloatConversion.firstUnstorable(chunk, 0, count, type);
                if (bad >= 0) {
                    throw new IllegalArgumentException("tensor '" + entry.name() + "' of " + base.fileOf(entry.name())
                            + ": element " + (off / width + bad) + " " + FloatConversion.whyUnstorable(chunk[bad], type)
                            + "; nothing was written");
                }
                encoded.clear();
                FloatConversion.narrow(chunk, 0, count, type, encoded);
                out.write(encoded.array(), 0, encoded.position());
            }
        };
    }

    /** The {@code torch_dtype} name of a stored type. */
    public static String dtypeName(StoredType type) {
        return switch (type) {
            case F32 -> "float32";
            case BF16 -> "bfloat16";
            case F16 -> "float16";
            case F64 -> "float64";
            default -> throw new IllegalArgumentException("not a float dtype: " + type);
        };
    }
}
