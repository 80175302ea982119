package org.locasbench.harness.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.nn.KvCache;

/**
 * Greedy decoding with a KV cache: the prompt is run once, then one token per step reads only the new position. Only
 * the last position goes through the LM head (a [1, vocab] row, not the prompt's [tokens, vocab] logits).
 */
public final class GreedyGenerator {
    private GreedyGenerator() {}

    /** Up to {@code maxNewTokens} argmax tokens after {@code prompt}, stopping after any of {@code stopIds}. */
    public static long[] generate(Qwen3Model model, LayerAdapter adapter, long[] prompt, int maxNewTokens,
            Set<Long> stopIds) {
        List<Long> out = new ArrayList<>();
        try (NDManager scope = model.manager().newSubManager();
                KvCache cache = new KvCache(scope, model.config().numHiddenLayers())) {
            NDArray input = scope.create(prompt, new Shape(1, prompt.length));
            for (int step = 0; step < maxNewTokens; step++) {
                long next;
                try (NDManager stepScope = scope.newSubManager()) {
                    input.attach(stepScope);
                    NDArray last = model.hiddenStates(input, 0, adapter, cache).get(":, -1, :");
                    next = model.lmHead(last).get(0).argMax().getLong();
                }
                out.add(next);
                if (stopIds.contains(next)) {
                    break;
                }
                input = scope.create(new long[] {next}, new Shape(1, 1));
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
