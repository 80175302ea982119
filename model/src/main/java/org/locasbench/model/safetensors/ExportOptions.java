package org.locasbench.model.safetensors;

/**
 * How a derived checkpoint ({@code to-dense}, {@code lora-merge}, the MMLU variants) is written.
 *
 * @param dtype every tensor stored as this (F32, BF16, F16), or {@code null} to keep the base checkpoint's dtypes
 * @param maxShardBytes the largest shard, as transformers' {@code max_shard_size}
 */
public record ExportOptions(StoredType dtype, long maxShardBytes) {
    /** The base's dtypes, transformers' default shard size. */
    public static final ExportOptions DEFAULT = new ExportOptions(null,
            ShardedWriter.parseSize(ShardedWriter.DEFAULT_MAX_SHARD_SIZE));

    public static ExportOptions storedAs(StoredType dtype) {
        return new ExportOptions(dtype, DEFAULT.maxShardBytes());
    }
}
