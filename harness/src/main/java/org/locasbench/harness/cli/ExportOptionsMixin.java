package org.locasbench.harness.cli;

import java.util.Locale;
import org.locasbench.model.safetensors.ExportOptions;
import org.locasbench.model.safetensors.ShardedWriter;
import org.locasbench.model.safetensors.StoredType;
import picocli.CommandLine.Option;

/** {@code --dtype} and {@code --max-shard-size}: how {@code to-dense} and {@code lora-merge} write checkpoints. */
public final class ExportOptionsMixin {
    @Option(names = "--dtype", defaultValue = "auto", paramLabel = "auto|f32|bf16|f16",
            description = "Stored dtype of the new checkpoint: auto (default) keeps the base checkpoint's; f32 is "
                    + "exact; bf16 / f16 halve the size, rounded.")
    String dtype;

    @Option(names = "--max-shard-size", defaultValue = ShardedWriter.DEFAULT_MAX_SHARD_SIZE, paramLabel = "SIZE",
            description = "Largest shard, as transformers' max_shard_size (e.g. 5GB, 2GiB); default ${DEFAULT-VALUE}. "
                    + "Larger checkpoints are written as model-0000i-of-0000n.safetensors + an index.")
    String maxShardSize;

    public ExportOptions options() {
        StoredType type = dtype.equalsIgnoreCase("auto") ? null : storedType(dtype, "auto, f32, bf16 or f16");
        return new ExportOptions(type, shardBytes(maxShardSize));
    }

    /** A float dtype named on the command line ({@code --dtype}): f32 / bf16 / f16 and their long names. */
    static StoredType storedType(String name, String allowed) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "f32", "fp32", "float32" -> StoredType.F32;
            case "bf16", "bfloat16" -> StoredType.BF16;
            case "f16", "fp16", "float16" -> StoredType.F16;
            default -> throw new IllegalArgumentException("--dtype must be " + allowed + ", got '" + name + "'");
        };
    }

    /** {@code --max-shard-size} in bytes, as transformers reads it. */
    static long shardBytes(String size) {
        try {
            return ShardedWriter.parseSize(size);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--max-shard-size: " + e.getMessage());
        }
    }

    public String dtypeLabel() {
        return dtype.toLowerCase(Locale.ROOT);
    }
}
