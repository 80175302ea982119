package org.locasbench.harness.experiment;

import java.util.EnumSet;
import org.locasbench.harness.ttt.AdapterFactory;
import org.locasbench.harness.ttt.LossKind;
import org.locasbench.harness.ttt.TrainingConfig;
import org.locasbench.locas.Clipping;
import org.locasbench.locas.InitStrategy;
import org.locasbench.locas.Memorizer;
import org.locasbench.lora.LoraAdapter;
import org.locasbench.lora.LoraConfig;
import org.locasbench.model.adapter.Projection;

/**
 * How one method runs under a config: its adapter factory (null for the frozen baselines), its optimiser settings and
 * the context it sees.
 *
 * @param init Locas init strategy (ignored otherwise)
 * @param width Locas memory width or LoRA rank
 */
public record MethodSetup(Method method, InitStrategy init, int width, AdapterFactory factory, TrainingConfig training,
        int context) {

    public static MethodSetup of(ExperimentConfig c, Method method) {
        return of(c, method, InitStrategy.parse(c.init()), method == Method.LORA ? c.loraRank() : c.memoryWidth());
    }

    public static MethodSetup of(ExperimentConfig c, Method method, InitStrategy init, int width) {
        TrainingConfig base = (method == Method.LORA ? TrainingConfig.tempLoraDefaults()
                .withLearningRate(c.loraLr()) : TrainingConfig.locasDefaults().withLearningRate(c.lr()))
                .withLoss(LossKind.parse(c.loss())).withMixLambda(c.mixLambda()).withSteps(c.stepsPerWindow())
                .withContexts(c.teacherContext(), c.studentContext());
        AdapterFactory factory = switch (method) {
            case NONE, LONG_CONTEXT -> null;
            case LOCAS -> (model, ids) -> Memorizer.memorize(model, ids, width, init, c.seed(),
                    Clipping.parse(c.clipping()));
            case LORA -> (model, ids) -> LoraAdapter.create(model, new LoraConfig(width, c.loraAlpha(),
                    c.loraDropout(), EnumSet.allOf(Projection.class), c.seed()));
        };
        int context = method == Method.LONG_CONTEXT ? c.longContext() : c.context();
        return new MethodSetup(method, init, width, factory, base, context);
    }

    /** A label for reports: e.g. {@code locas[highest,r=64]}, {@code lora[r=16]}, {@code none}. */
    public String label() {
        return switch (method) {
            case LOCAS -> "locas[" + init.id() + ",r=" + width + "]";
            case LORA -> "lora[r=" + width + "]";
            case LONG_CONTEXT -> "long_context[" + context + "]";
            case NONE -> "none";
        };
    }
}
