package org.locasbench.harness.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locasbench.harness.ttt.WindowResult;

/** Perplexity metrics of a streamed text, from the per-window NLL sums. */
public final class StreamMetrics {
    private StreamMetrics() {}

    /** exp(mean token NLL) over the whole stream. */
    public static double perplexity(List<WindowResult> windows) {
        double sum = 0;
        long n = 0;
        for (WindowResult w : windows) {
            sum += w.nllSum();
            n += w.scoredTokens();
        }
        return Math.exp(sum / n);
    }

    /** Temp-Lora's metric: the token-weighted mean of per-window perplexities. */
    public static double tokenWeightedWindowPerplexity(List<WindowResult> windows) {
        double sum = 0;
        long n = 0;
        for (WindowResult w : windows) {
            sum += w.scoredTokens() * Math.exp(w.meanNll());
            n += w.scoredTokens();
        }
        return sum / n;
    }

    /**
     * PPL of all scored tokens at stream positions before each mark (the first {@code mark} tokens): windows before it
     * whole, the window that crosses it split at it. Marks past the stream's end are left out ({@link #absentMarks}).
     */
    public static Map<Integer, Double> perplexityAt(List<WindowResult> windows, List<Integer> marks) {
        Map<Integer, Double> out = new LinkedHashMap<>();
        int total = windows.get(windows.size() - 1).end();
        for (int mark : marks) {
            if (mark > total) {
                continue;
            }
            double sum = 0;
            double n = 0;
            for (WindowResult w : windows) {
                double[] part = w.before(mark);
                sum += part[0];
                n += part[1];
            }
            if (n > 0) {
                out.put(mark, Math.exp(sum / n));
            }
        }
        return out;
    }

    /** The marks past the stream's end: no PPL there; reported as absent with the stream's length. */
    public static List<Integer> absentMarks(List<WindowResult> windows, List<Integer> marks) {
        int total = windows.get(windows.size() - 1).end();
        return marks.stream().filter(m -> m > total).toList();
    }

    /** Quarters of the stream, rounded down to window ends (the scaled-down 50K/100K/150K/200K marks). */
    public static List<Integer> quarterMarks(List<WindowResult> windows) {
        int total = windows.get(windows.size() - 1).end();
        List<Integer> marks = new ArrayList<>();
        for (int q = 1; q <= 4; q++) {
            int target = total * q / 4;
            int best = windows.get(0).end();
            for (WindowResult w : windows) {
                if (w.end() <= target) {
                    best = w.end();
                }
            }
            if (!marks.contains(best)) {
                marks.add(best);
            }
        }
        return marks;
    }

    /**
     * Rough FLOPs: a forward over T tokens costs 2 P T + 4 L T^2 d_attn (matmuls with the P non-embedding parameters
     * and attention); a training step costs ~3 forwards (forward + backward) of the trained pass.
     */
    public static double flops(long nonEmbeddingParameters, int layers, int attentionWidth, List<WindowResult> windows,
            int context, boolean trains, int stepsPerWindow) {
        double total = 0;
        for (WindowResult w : windows) {
            double t = Math.min(w.start(), context) + w.end() - w.start();
            double forward = 2.0 * nonEmbeddingParameters * t + 4.0 * layers * t * t * attentionWidth;
            total += forward * (1 + (trains ? 3.0 * stepsPerWindow : 0));
        }
        return total;
    }
}
