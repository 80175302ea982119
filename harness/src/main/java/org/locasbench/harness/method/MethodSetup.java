package org.locasbench.harness.method;

import java.util.EnumSet;
import java.util.Set;
import org.locasbench.harness.config.CommonConfig;
import org.locasbench.harness.config.GrpoSettings;
import org.locasbench.harness.config.LocasSettings;
import org.locasbench.harness.config.LoraSettings;
import org.locasbench.harness.config.Method;
import org.locasbench.harness.config.TrainingSettings;
import org.locasbench.harness.ttt.AdapterFactory;
import org.locasbench.harness.ttt.TrainingConfig;
import org.locasbench.locas.InitStrategy;
import org.locasbench.locas.Memorizer;
import org.locasbench.lora.LoraAdapter;
import org.locasbench.lora.LoraConfig;
import org.locasbench.model.adapter.Projection;

/**
 * How one method runs under a config: its adapter factory (null for the frozen baselines), its optimiser settings and
 * the context it sees. The only place settings become adapters and optimisers, so {@code ttt}, {@code lora-ttt} and
 * every experiment train the same way from the same settings.
 *
 * @param width Locas memory width or LoRA rank (0 for the frozen baselines)
 * @param init Locas init strategy (null otherwise)
 * @param growth an expandable Locas memory's growth (null: fixed width)
 */
public record MethodSetup(Method method, InitStrategy init, int width, AdapterFactory factory, TrainingConfig training,
        int context, org.locasbench.harness.ttt.MemoryGrowth growth) {

    public static MethodSetup of(CommonConfig c, Method method) {
        return switch (method) {
            case NONE -> new MethodSetup(method, null, 0, null, null, c.window().context(), null);
            case LONG_CONTEXT -> new MethodSetup(method, null, 0, null, null, c.window().longContext(), null);
            case LOCAS -> locas(c.locas(), c.training(), c.grpo(), c.run().seed(), c.window().context());
            case LORA -> lora(c.lora(), c.training(), c.grpo(), c.run().seed(), c.window().context());
        };
    }

    public static MethodSetup locas(LocasSettings l, TrainingSettings t, GrpoSettings g, long seed, int context) {
        AdapterFactory factory = (model, ids) -> Memorizer.memorize(model, ids, l.width(), l.init(), seed,
                l.clipping());
        // an expandable memory is reported at the width it grows to (what a fixed memory of equal size would have)
        return new MethodSetup(Method.LOCAS, l.init(), l.growth() == null ? l.width() : l.maxWidth(), factory,
                training(t, g, l.lr(), l.epsilon(), t.stepsPerWindow()), context, l.growth());
    }

    public static MethodSetup lora(LoraSettings l, TrainingSettings t, GrpoSettings g, long seed, int context) {
        LoraConfig config = loraConfig(l, seed);
        return new MethodSetup(Method.LORA, null, l.rank(), (model, ids) -> LoraAdapter.create(model, config),
                training(t, g, l.lr(), l.epsilon(), l.stepsPerWindow() != null ? l.stepsPerWindow()
                        : t.stepsPerWindow()).withSchedule(l.schedule() != null ? l.schedule()
                        : org.locasbench.harness.ttt.OptimizerSchedule.CONSTANT), context, null);
    }

    public static LoraConfig loraConfig(LoraSettings l, long seed) {
        Set<Projection> targets = EnumSet.noneOf(Projection.class);
        l.targets().forEach(name -> targets.add(Projection.fromModule(name)));
        return new LoraConfig(l.rank(), l.alpha(), l.dropout(), targets, seed);
    }

    private static TrainingConfig training(TrainingSettings t, GrpoSettings g, double lr, double epsilon, int steps) {
        return new TrainingConfig(t.loss(), t.mixLambda(), lr, t.beta1(), t.beta2(), epsilon, t.weightDecay(),
                steps, t.teacherContext(), t.studentContext(), org.locasbench.harness.ttt.OptimizerSchedule.CONSTANT,
                t.loss() == org.locasbench.harness.ttt.LossKind.GRPO ? g : null); // read only by GRPO
    }

    /**
     * How a streaming run of this method behaves beyond its optimiser: the seed, the NaN policy and crash-safe
     * checkpoints ({@code checkpointDir/runName}, or {@code checkpointDir} itself when {@code runName} is null), with
     * a fingerprint of (run, optimiser, window, seed, data, model) so a checkpoint of another run is refused on resume.
     */
    public org.locasbench.harness.ttt.RunOptions runOptions(CommonConfig c, String runName, long[] ids,
            java.nio.file.Path modelDir) {
        var r = c.reliability();
        String fingerprint = (runName != null ? runName : label()) + "|" + training + "|" + c.window().size() + "/"
                + context + "|seed " + c.run().seed() + "|ids " + ids.length + ":" + java.util.Arrays.hashCode(ids)
                + "|" + org.locasbench.model.ModelFingerprint.of(modelDir);
        java.nio.file.Path dir = r.checkpointDir() == null ? null : runName == null
                ? java.nio.file.Path.of(r.checkpointDir()) : java.nio.file.Path.of(r.checkpointDir(), runName);
        return new org.locasbench.harness.ttt.RunOptions(c.run().seed(), r.onNonFinite(), dir, r.checkpointEvery(),
                r.resume(), fingerprint);
    }

    /** A label for reports: e.g. {@code locas[highest,r=64]}, {@code locas[highest,r=16->64 +16 every 4]} (expandable), {@code lora[r=16]}, {@code long_context[1024]}. */
    public String label() {
        return switch (method) {
            case LOCAS -> "locas[" + init.id() + ",r=" + (growth == null ? width + "" : growth.startWidth() + "->"
                    + growth.maxWidth() + " +" + growth.rows() + " every " + growth.every()) + "]";
            case LORA -> "lora[r=" + width + "]";
            case LONG_CONTEXT -> "long_context[" + context + "]";
            case NONE -> "none";
        };
    }

    /** The label as a file-name part: {@code locas-highest-r-64}. */
    public String slug() {
        return label().replaceAll("[^A-Za-z0-9_.-]+", "-").replaceAll("-+$", "");
    }
}
