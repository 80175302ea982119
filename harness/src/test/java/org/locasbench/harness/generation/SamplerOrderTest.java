package org.locasbench.harness.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The sampler's primitive-key sort gives the order of Float.compare on the logits, ties by id, as a comparator would. */
class SamplerOrderTest {
    @Test
    void primitiveKeysSortLikeFloatCompareWithTiesById() {
        Random r = new Random(2);
        float[] logits = new float[20_000];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = Math.round(r.nextGaussian() * 30) / 10f; // many ties
        }
        logits[5] = -0.0f;
        logits[6] = 0.0f;
        logits[7] = Float.NEGATIVE_INFINITY;
        logits[8] = Float.POSITIVE_INFINITY;
        logits[9] = -Float.MAX_VALUE;
        int offset = 3; // a row inside a [group, vocab] buffer
        int vocab = logits.length - offset;
        Comparator<Integer> byLogit = (a, b) -> Float.compare(logits[offset + b], logits[offset + a]);
        int[] expected = IntStream.range(0, vocab).boxed().sorted(byLogit.thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
        assertThat(Sampler.byLogitDescending(logits, offset, vocab)).containsExactly(expected);
        assertThat(Arrays.stream(expected).limit(1)).containsExactly(8 - offset);
    }
}
