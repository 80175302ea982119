package org.locasbench.harness.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.locasbench.model.Nll;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.nn.KvCache;

/**
 * Multiple-choice scoring by the NLL of each answer option after its prompt (lowest wins, ties to the first option),
 * as lm-eval's loglikelihood requests. Two paths:
 * <ul>
 *   <li>every option one token (" A".." D" in Qwen3's and the bundled tokenizer): one forward per batch of prompts,
 *       each option's log-prob read from the log-softmax at the prompt's last position; prompts sorted by length and
 *       right-padded to the batch's longest; the LM head runs on one row per prompt, not on every position;</li>
 *   <li>the same with a shared prefix ({@link #scoreSharedPrefix}: k-shot prompts of one subject share header and
 *       shots): the prefix runs once into a KV cache, each batch of suffixes attends to it (repeated per row), so
 *       only the suffixes' tokens are computed again;</li>
 *   <li>otherwise: per option one forward of prompt + option, its tokens' NLL summed (the general path, and the
 *       independent reference the batched path is tested against).</li>
 * </ul>
 */
final class OptionScorer {
    /** Any valid id: right padding is never attended to by real positions and its outputs are never read. */
    static final long PAD_ID = 0;

    private OptionScorer() {}

    /** Told after each forward (or, multi-token, each prompt): prompts finished and tokens fed, padding included. */
    interface Progress {
        Progress NONE = (prompts, fedTokens) -> { };

        void done(int prompts, long fedTokens);
    }

    /**
     * Per prompt (in the input order) the NLL of each option and the chosen option; what it cost: tokens fed to the
     * model (padding included), the prompts' own tokens, forwards run.
     */
    record Scores(double[][] nll, int[] predictions, long fedTokens, long promptTokens, int forwards) {}

    /** Scores every prompt; batching applies when every option is one token, else the per-option path runs. */
    static Scores score(Qwen3Model model, LayerAdapter adapter, List<long[]> prompts, long[][] options, int batchSize,
            Integer batchTokens, Progress progress) {
        double[][] nll = new double[prompts.size()][];
        long fed = 0;
        int forwards = 0;
        long[] single = singleTokenIds(options);
        if (single != null) {
            Work done = scoreInBatches(prompts, prompts.stream().mapToInt(p -> p.length).toArray(), batchSize,
                    batchTokens, nll, rows -> singleTokenNll(model, adapter, rows, single), progress);
            fed = done.fedTokens();
            forwards = done.forwards();
        } else {
            for (int i = 0; i < prompts.size(); i++) {
                long tokens = 0;
                for (long[] o : options) {
                    tokens += prompts.get(i).length + o.length;
                }
                nll[i] = perOptionNll(model, adapter, prompts.get(i), options);
                fed += tokens;
                forwards += options.length;
                progress.done(1, tokens);
            }
        }
        int[] predictions = Arrays.stream(nll).mapToInt(OptionScorer::argmin).toArray();
        return new Scores(nll, predictions, fed, prompts.stream().mapToLong(p -> p.length).sum(), forwards);
    }

    /**
     * Prompts {@code prefix + suffixes[i]} scored with the prefix computed once: its keys and values are cached, then
     * every batch of suffixes (sorted by length, right-padded) runs at positions after it. Mathematically the batched
     * path's result (tested against it); options must be single tokens. {@code batchTokens} caps rows x (prefix +
     * padded suffix), the keys a forward attends over. Tokens fed: the prefix once plus the padded suffixes.
     */
    static Scores scoreSharedPrefix(Qwen3Model model, LayerAdapter adapter, long[] prefix, List<long[]> suffixes,
            long[][] options, int batchSize, Integer batchTokens, Progress progress) {
        long[] single = singleTokenIds(options);
        if (single == null || prefix.length == 0 || suffixes.stream().anyMatch(x -> x.length == 0)) {
            throw new IllegalArgumentException("a shared prefix needs single-token options, a non-empty prefix and "
                    + "non-empty suffixes");
        }
        double[][] nll = new double[suffixes.size()][];
        long fed = prefix.length;
        int forwards = 1;
        try (NDManager scope = model.manager().newSubManager();
                KvCache cache = new KvCache(scope, model.config().numHiddenLayers())) {
            try (NDManager prefill = scope.newSubManager()) {
                model.hiddenStates(prefill.create(prefix, new Shape(1, prefix.length)), 0, adapter, cache);
            }
            int[] keyLengths = suffixes.stream().mapToInt(x -> prefix.length + x.length).toArray();
            Work done = scoreInBatches(suffixes, keyLengths, batchSize, batchTokens, nll,
                    rows -> lastPositionNll(model, adapter, rows, single, cache), progress);
            fed += done.fedTokens();
            forwards += done.forwards();
        }
        int[] predictions = Arrays.stream(nll).mapToInt(OptionScorer::argmin).toArray();
        long computed = prefix.length + suffixes.stream().mapToLong(x -> x.length).sum();
        return new Scores(nll, predictions, fed, computed, forwards);
    }

    /**
     * Cuts {@code rows} into {@link #batches} by {@code batchLengths}, scores each batch with {@code scorer} (one
     * forward) into {@code nll} at the rows' input positions.
     */
    private static Work scoreInBatches(List<long[]> rows, int[] batchLengths, int batchSize, Integer batchTokens,
            double[][] nll, java.util.function.Function<List<long[]>, double[][]> scorer, Progress progress) {
        long fed = 0;
        int forwards = 0;
        for (int[] batch : batches(batchLengths, batchSize, batchTokens)) {
            List<long[]> picked = Arrays.stream(batch).mapToObj(rows::get).toList();
            double[][] scored = scorer.apply(picked);
            long padded = (long) batch.length * picked.stream().mapToInt(x -> x.length).max().orElse(0);
            for (int i = 0; i < batch.length; i++) {
                nll[batch[i]] = scored[i];
            }
            fed += padded;
            forwards++;
            progress.done(batch.length, padded);
        }
        return new Work(fed, forwards);
    }

    /** What a run of batches cost: tokens fed (padding included) and forwards. */
    private record Work(long fedTokens, int forwards) {}

    /** The options' ids when each is exactly one token, else null. */
    static long[] singleTokenIds(long[][] options) {
        long[] ids = new long[options.length];
        for (int i = 0; i < options.length; i++) {
            if (options[i].length != 1) {
                return null;
            }
            ids[i] = options[i][0];
        }
        return ids;
    }

    /** The first option of lowest NLL (strictly lower replaces: ties go to the earlier option). */
    static int argmin(double[] nll) {
        int best = 0;
        double bestNll = Double.POSITIVE_INFINITY;
        for (int o = 0; o < nll.length; o++) {
            if (nll[o] < bestNll) {
                bestNll = nll[o];
                best = o;
            }
        }
        return best;
    }

    /**
     * Prompt indices grouped into forwards: sorted by length (stable: equal lengths keep their order) so a batch pads
     * little, then cut into runs of at most {@code batchSize} rows and, when {@code batchTokens} is set, at most that
     * many rows x padded length (a prompt longer than the cap runs alone).
     */
    static List<int[]> batches(int[] lengths, int batchSize, Integer batchTokens) {
        int[] order = IntStream.range(0, lengths.length).boxed().sorted(Comparator.comparingInt(i -> lengths[i]))
                .mapToInt(Integer::intValue).toArray();
        List<int[]> batches = new ArrayList<>();
        int start = 0;
        while (start < order.length) {
            int end = start + 1;
            // sorted ascending: the row being added is the batch's longest, so it sets the padded length
            while (end < order.length && end - start < batchSize
                    && (batchTokens == null || (long) (end - start + 1) * lengths[order[end]] <= batchTokens)) {
                end++;
            }
            batches.add(Arrays.copyOfRange(order, start, end));
            start = end;
        }
        return batches;
    }

    /**
     * NLL [prompt][option] of one-token options right after each prompt, in one forward. The prompts are right-padded
     * to the longest with {@link #PAD_ID}. No attention mask is needed: attention is causal, so a position attends to
     * itself and earlier keys only, and everything else (embedding, RoPE, RMSNorm, MLP, adapters) is per position;
     * padding after a row's last real token cannot change that token's hidden state. Only those last positions go
     * through the LM head: [rows, vocab] logits rather than [rows, tokens, vocab].
     */
    static double[][] singleTokenNll(Qwen3Model model, LayerAdapter adapter, List<long[]> prompts, long[] optionIds) {
        return lastPositionNll(model, adapter, prompts, optionIds, null);
    }

    /** {@link #singleTokenNll}, the prompts continuing a one-row {@code prefix} cache (left as it is) when not null. */
    private static double[][] lastPositionNll(Qwen3Model model, LayerAdapter adapter, List<long[]> prompts,
            long[] optionIds, KvCache prefix) {
        int rows = prompts.size();
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        long[] ids = new long[rows * longest];
        Arrays.fill(ids, PAD_ID);
        int hidden = model.config().hiddenSize();
        long[] last = new long[rows * hidden];
        long[] targets = new long[rows * optionIds.length];
        for (int r = 0; r < rows; r++) {
            long[] p = prompts.get(r);
            System.arraycopy(p, 0, ids, r * longest, p.length);
            Arrays.fill(last, r * hidden, (r + 1) * hidden, p.length - 1);
            System.arraycopy(optionIds, 0, targets, r * optionIds.length, optionIds.length);
        }
        try (NDManager scope = model.manager().newSubManager();
                KvCache cache = prefix == null ? null : prefix.repeated(scope, rows)) {
            NDArray input = scope.create(ids, new Shape(rows, longest));
            NDArray states = model.hiddenStates(input, 0, adapter, cache);
            // [rows, 1, hidden]: each row's hidden state at its own last prompt position
            NDArray lastStates = states.gather(scope.create(last, new Shape(rows, 1, hidden)), 1)
                    .reshape(rows, hidden);
            NDArray logProbs = Nll.logSoftmax(model.lmHead(lastStates));
            float[] picked = logProbs.gather(scope.create(targets, new Shape(rows, optionIds.length)), 1)
                    .toFloatArray();
            double[][] nll = new double[rows][optionIds.length];
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < optionIds.length; o++) {
                    nll[r][o] = -picked[r * optionIds.length + o];
                }
            }
            return nll;
        }
    }

    /** Sum of the NLL of each option's tokens after the prompt; one full forward (all positions) per option. */
    static double[] perOptionNll(Qwen3Model model, LayerAdapter adapter, long[] prompt, long[][] options) {
        double[] sums = new double[options.length];
        for (int o = 0; o < options.length; o++) {
            long[] ids = Arrays.copyOf(prompt, prompt.length + options[o].length);
            System.arraycopy(options[o], 0, ids, prompt.length, options[o].length);
            try (NDManager scope = model.manager().newSubManager()) {
                NDArray input = scope.create(ids, new Shape(1, ids.length));
                float[] nll = Nll.perToken(model.logits(input, 0, adapter, null), input).toFloatArray();
                double sum = 0;
                for (int k = prompt.length - 1; k < nll.length; k++) {
                    sum += nll[k];
                }
                sums[o] = sum;
            }
        }
        return sums;
    }
}
