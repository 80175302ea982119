package org.locasbench.harness.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * F1 of two bags of tokens (SQuAD's token F1): the overlap counts each token as often as both bags hold it;
 * precision = overlap / |predicted|, recall = overlap / |truth|. Used by LoCoMo's scoring (words) and GRPO's reward
 * (token ids).
 */
public final class BagF1 {
    private BagF1() {}

    public static <T> double of(List<T> predicted, List<T> truth) {
        Map<T, Integer> counts = new HashMap<>();
        truth.forEach(t -> counts.merge(t, 1, Integer::sum));
        int overlap = 0;
        for (T t : predicted) {
            Integer c = counts.get(t);
            if (c != null && c > 0) {
                overlap++;
                counts.put(t, c - 1);
            }
        }
        return f1(overlap, predicted.size(), truth.size());
    }

    /** 2 P R / (P + R) for {@code overlap} common tokens of {@code predicted} and {@code relevant}; 0 without overlap. */
    public static double f1(int overlap, int predicted, int relevant) {
        if (overlap == 0) {
            return 0;
        }
        double precision = (double) overlap / predicted;
        double recall = (double) overlap / relevant;
        return 2 * precision * recall / (precision + recall);
    }
}
