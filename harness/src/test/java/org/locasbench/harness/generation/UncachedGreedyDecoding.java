package org.locasbench.harness.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.LayerAdapter;

/** {@link GreedyGenerator#generate}'s decoding without a cache (a full forward per token): the tests' reference. */
public final class UncachedGreedyDecoding {
    private UncachedGreedyDecoding() {}

    public static long[] generate(Qwen3Model model, LayerAdapter adapter, long[] prompt, int maxNewTokens,
            Set<Long> stopIds) {
        List<Long> seq = new ArrayList<>();
        for (long id : prompt) {
            seq.add(id);
        }
        List<Long> out = new ArrayList<>();
        for (int step = 0; step < maxNewTokens; step++) {
            try (NDManager scope = model.manager().newSubManager()) {
                long[] ids = seq.stream().mapToLong(Long::longValue).toArray();
                NDArray logits = model.logits(scope.create(ids, new Shape(1, ids.length)), 0, adapter, null);
                long next = logits.get("0, -1, :").argMax().getLong();
                out.add(next);
                seq.add(next);
                if (stopIds.contains(next)) {
                    break;
                }
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
