package org.locasbench.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The causal mask and the RoPE tables of a forward that starts at position 0, built once per length (and dtype) and
 * reused by every later forward of that length: a streaming run scores and trains thousands of windows of one size.
 * They are read-only, so concurrent forwards share them; they live as long as the model. At most {@link #LENGTHS}
 * lengths are kept (prompts of many lengths, as in MMLU, get theirs built per call).
 */
public final class ForwardConstants {
    static final int LENGTHS = 16;

    private record TableKey(long tokens, DataType type) {}

    private final NDManager home;
    private final RotaryEmbedding rope;
    private final Map<TableKey, NDArray> masks = new ConcurrentHashMap<>();
    private final Map<TableKey, NDList> tables = new ConcurrentHashMap<>();

    public ForwardConstants(NDManager home, RotaryEmbedding rope) {
        this.home = home;
        this.rope = rope;
    }

    /** Additive causal mask [tokens, past+tokens] of {@code type}; built in {@code scope} when not cacheable. */
    public NDArray mask(NDManager scope, long tokens, long past, DataType type) {
        TableKey key = new TableKey(tokens, type);
        if (past != 0 || (masks.size() >= LENGTHS && !masks.containsKey(key))) {
            return Attention.causalMask(scope, tokens, past, type);
        }
        return masks.computeIfAbsent(key, k -> Attention.causalMask(home, k.tokens(), 0, k.type()));
    }

    /** cos/sin tables for positions offset .. offset+tokens-1 in {@code like}'s dtype. */
    public NDList ropeTables(NDArray like, long offset, long tokens) {
        TableKey key = new TableKey(tokens, like.getDataType());
        if (offset != 0 || (tables.size() >= LENGTHS && !tables.containsKey(key))) {
            return rope.tables(like, offset, tokens);
        }
        return tables.computeIfAbsent(key, k -> rope.tables(home, k.type(), 0, k.tokens()));
    }
}
