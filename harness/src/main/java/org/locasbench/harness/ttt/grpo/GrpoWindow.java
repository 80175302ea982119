package org.locasbench.harness.ttt.grpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.locasbench.harness.config.GrpoSettings;
import org.locasbench.harness.generation.Sampler;
import org.locasbench.harness.generation.SamplingConfig;
import org.locasbench.harness.protocol.Window;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.GradientScope;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.adapter.TrainableAdapter;
import org.locasbench.model.adapter.TrainingStep;

/**
 * GRPO's test-time task on one window of a stream. The window gives {@code prompts} prompts: prefix j ends at
 * {@code c_j = start + floor((j + 1) (n - L) / (P + 1))} (n new tokens, L = {@code length}), so the cuts are evenly
 * spaced and each leaves L true tokens inside the window; the prompt is the text from the window's context start up
 * to c_j, the truth the L tokens after it. For each prompt a group is sampled from the current policy (scoring mode:
 * no dropout), rewarded against the truth, and pi_old and pi_ref are computed once; the inner steps then reuse them.
 */
public final class GrpoWindow implements AutoCloseable {
    /**
     * One prompt's group: what was sampled, its advantages and the fixed log-probs of pi_old and pi_ref. With one inner
     * step pi_old is pi itself at that step (nothing has changed it since sampling), so {@code oldLogp} is null and
     * the loss takes pi's own log-probs, detached (as TRL's GRPOTrainer does for one iteration): one forward less.
     */
    public record Group(long[] prompt, long[][] samples, double[] rewards, double[] advantages, NDArray oldLogp,
            NDArray refLogp, NDArray mask) {}

    /** Sampling met NaN/Inf logits or a reward was not finite: no group to train on (the NaN policy decides). */
    public static final class NonFiniteSample extends RuntimeException {
        NonFiniteSample(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final NDManager scope;
    private final List<Group> groups;
    private final GrpoSettings settings;

    private GrpoWindow(NDManager scope, List<Group> groups, GrpoSettings settings) {
        this.scope = scope;
        this.groups = groups;
        this.settings = settings;
    }

    /** Groups sampled elsewhere (a reference's fixed samples); the window owns {@code scope} and closes it. */
    public static GrpoWindow of(NDManager scope, List<Group> groups, GrpoSettings settings) {
        return new GrpoWindow(scope, List.copyOf(groups), settings);
    }

    /**
     * Whether a window holds GRPO's task: more than {@code length} new tokens and a non-empty prompt before every cut
     * (a book's short last window, or a short LoCoMo session group, may not).
     */
    public static boolean trainable(Window w, GrpoSettings s) {
        return w.newTokens() > s.length() && positions(w, s)[0] > w.contextStart();
    }

    /** Refuses a window without GRPO's task (see {@link #trainable}), naming the options that change it. */
    public static void requireTrainable(Window w, GrpoSettings s) {
        if (!trainable(w, s)) {
            throw new IllegalArgumentException("GRPO needs windows longer than grpo.length (" + s.length()
                    + " tokens), window " + w.index() + " has " + w.newTokens() + " new tokens: use a smaller "
                    + "grpo.length (--grpo-length) or larger windows (window.size)");
        }
    }

    /** The prompt cut positions of a window (see the class comment). */
    public static int[] cuts(Window w, GrpoSettings s) {
        requireTrainable(w, s);
        return positions(w, s);
    }

    /** {@code c_j = start + floor((j + 1)(n - L) / (P + 1))}, unchecked. */
    private static int[] positions(Window w, GrpoSettings s) {
        int[] cuts = new int[s.prompts()];
        for (int j = 0; j < cuts.length; j++) {
            cuts[j] = w.start() + (int) Math.floor((j + 1) * (double) (w.newTokens() - s.length()) / (s.prompts()
                    + 1));
        }
        return cuts;
    }

    /** Samples every group of the window for optimiser step {@code step} and fixes pi_old and pi_ref. */
    public static GrpoWindow sample(Qwen3Model model, TrainableAdapter adapter, long[] ids, Window w,
            GrpoSettings s, TrainingStep step) {
        NDManager scope = model.manager().newSubManager();
        try (GradientScope off = GradientScope.paused()) {
            SamplingConfig sampling = new SamplingConfig(s.temperature(), s.topK(), s.topP(), s.length(),
                    new HashSet<>(s.stopTokens()));
            List<Group> groups = new ArrayList<>();
            int[] cuts = cuts(w, s);
            for (int j = 0; j < cuts.length; j++) {
                long[] prompt = Arrays.copyOfRange(ids, w.contextStart(), cuts[j]);
                long[] truth = Arrays.copyOfRange(ids, cuts[j], cuts[j] + s.length());
                long[][] samples;
                try {
                    samples = Sampler.sample(model, adapter, prompt, s.group(), sampling, new Random(step.samplingKey(j)));
                } catch (Sampler.NonFiniteLogits e) {
                    throw new NonFiniteSample(e.getMessage() + " for GRPO prompt " + j, e);
                }
                double[] rewards = new double[samples.length];
                for (int g = 0; g < samples.length; g++) {
                    rewards[g] = Rewards.of(s.reward(), samples[g], truth);
                    if (!Double.isFinite(rewards[g])) {
                        throw new NonFiniteSample("non-finite reward " + rewards[g] + " for GRPO prompt " + j, null);
                    }
                }
                NDArray old = s.innerSteps() == 1 ? null
                        : GrpoObjective.sampledLogProbs(model, adapter, scope, prompt, samples, s.length());
                NDArray ref = GrpoObjective.sampledLogProbs(model, LayerAdapter.NONE, scope, prompt, samples,
                        s.length());
                groups.add(new Group(prompt, samples, rewards, GrpoObjective.advantages(rewards,
                        s.advantageEpsilon()), old, ref, GrpoObjective.mask(scope, samples, s.length(),
                        ref.getDataType())));
            }
            return new GrpoWindow(scope, groups, s);
        } catch (RuntimeException e) {
            scope.close();
            throw e;
        }
    }

    /**
     * The inner-step objective, the mean over the window's groups of {@link GrpoObjective#loss}, in parts of at most
     * {@code grpo.microBatch} samples of one group: part c of group g is {@code |c| / (G P)} times the loss of its
     * samples (whose advantages were normalised over the whole group), so the parts add up to the objective and their
     * gradients to its gradient, while only one part's activations are alive at a time.
     */
    public org.locasbench.harness.ttt.TestTimeTrainer.PartedObjective objective(Qwen3Model model,
            TrainableAdapter adapter) {
        int size = settings.microBatch() == null ? settings.group() : settings.microBatch();
        List<int[]> parts = new ArrayList<>(); // {group, first sample, end}
        for (int g = 0; g < groups.size(); g++) {
            int n = groups.get(g).samples().length;
            for (int from = 0; from < n; from += size) {
                parts.add(new int[] {g, from, Math.min(n, from + size)});
            }
        }
        return new org.locasbench.harness.ttt.TestTimeTrainer.PartedObjective() {
            @Override
            public int parts() {
                return parts.size();
            }

            @Override
            public NDArray part(int index, NDManager scope) {
                int[] p = parts.get(index);
                Group g = groups.get(p[0]);
                int from = p[1];
                int to = p[2];
                String rows = from + ":" + to;
                NDArray logp = GrpoObjective.sampledLogProbs(model, adapter, scope, g.prompt(),
                        Arrays.copyOfRange(g.samples(), from, to), settings.length());
                NDArray old = g.oldLogp() == null ? logp.stopGradient() : g.oldLogp().get(rows);
                NDArray loss = GrpoObjective.loss(logp, old, g.refLogp().get(rows),
                        Arrays.copyOfRange(g.advantages(), from, to), g.mask().get(rows), settings.clip(),
                        settings.beta());
                double weight = (double) (to - from) / (g.samples().length * groups.size());
                return loss.mul(org.locasbench.model.adapter.Scoped.scalar(loss, weight));
            }
        };
    }

    /** Tokens sampled for this window (stop tokens included, nothing after them). */
    public int sampledTokens() {
        int n = 0;
        for (Group g : groups) {
            for (long[] sample : g.samples()) {
                n += sample.length;
            }
        }
        return n;
    }

    public List<Group> groups() {
        return groups;
    }

    @Override
    public void close() {
        scope.close();
    }
}
