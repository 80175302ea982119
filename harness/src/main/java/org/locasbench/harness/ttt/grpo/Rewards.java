package org.locasbench.harness.ttt.grpo;

import org.locasbench.harness.metrics.BagF1;

/** The rewards of {@link RewardKind}, each in [0, 1] (1 = the sample is the true continuation). */
public final class Rewards {
    private Rewards() {}

    public static double of(RewardKind kind, long[] sample, long[] truth) {
        return switch (kind) {
            case TOKEN_F1 -> tokenF1(sample, truth);
            case EXACT_PREFIX -> exactPrefix(sample, truth);
            case ROUGE_L -> rougeL(sample, truth);
        };
    }

    public static double tokenF1(long[] sample, long[] truth) {
        return BagF1.of(java.util.Arrays.stream(sample).boxed().toList(), java.util.Arrays.stream(truth).boxed().toList());
    }

    public static double exactPrefix(long[] sample, long[] truth) {
        int n = 0;
        while (n < sample.length && n < truth.length && sample[n] == truth[n]) {
            n++;
        }
        return truth.length == 0 ? 0 : (double) n / truth.length;
    }

    public static double rougeL(long[] sample, long[] truth) {
        int[] previous = new int[truth.length + 1];
        int[] current = new int[truth.length + 1];
        for (long s : sample) {
            for (int j = 1; j <= truth.length; j++) {
                current[j] = s == truth[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return BagF1.f1(previous[truth.length], sample.length, truth.length);
    }
}
