package org.locasbench.harness.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.locasbench.harness.console.ProgressBar;
import org.locasbench.harness.protocol.Window;
import org.locasbench.harness.protocol.WindowPlan;
import org.locasbench.harness.ttt.AdapterFactory;
import org.locasbench.harness.ttt.StreamingProtocol;
import org.locasbench.harness.ttt.TrainingConfig;
import org.locasbench.harness.ttt.WindowResult;
import org.locasbench.model.Qwen3Model;

/** Runs the streaming protocol for a command with a progress bar and describes the result as JSON. */
final class StreamingRun {
    private StreamingRun() {}

    /** {@code method} describes the adapter (kind and its hyper-parameters) for the checkpoint fingerprint. */
    static StreamingProtocol.Run run(Qwen3Model model, long[] ids, TrainingOptions options, AdapterFactory factory,
            TrainingConfig config, long seed, String method) {
        List<Window> plan = WindowPlan.of(ids.length, options.window, options.context);
        ProgressBar bar = new ProgressBar(System.err, "ttt", plan.size(), ids.length);
        String fingerprint = method + "|" + config + "|" + options.window + "/" + options.context + "|seed " + seed
                + "|ids " + ids.length + ":" + java.util.Arrays.hashCode(ids) + "|"
                + org.locasbench.model.ModelFingerprint.of(model.directory());
        return StreamingProtocol.run(model, ids, plan, factory, config, options.runOptions(seed, fingerprint),
                r -> bar.step(r.end() - r.start()));
    }

    static ObjectNode describe(Qwen3Model model, TextInput.Tokens tokens, TrainingOptions options,
            TrainingConfig config, StreamingProtocol.Run run) {
        ObjectNode json = JsonOutput.object().put("model", model.directory().toString())
                .put("text", tokens.description()).put("tokens", tokens.ids().length).put("window", options.window)
                .put("context", options.context).put("loss", config.loss().name()).put("lr", config.learningRate())
                .put("steps", config.stepsPerWindow()).put("trainable_parameters", run.adapter().parameterCount())
                .put("mean_nll", run.meanNll()).put("ppl", Math.exp(run.meanNll()));
        ArrayNode windows = json.putArray("windows");
        for (WindowResult r : run.windows()) {
            // a window whose update --on-non-finite skip skipped has no training loss: null, never NaN
            ObjectNode w = windows.addObject().put("index", r.index()).put("start", r.start()).put("end", r.end())
                    .put("nll", r.meanNll()).put("train_loss", Double.isNaN(r.trainLoss()) ? null : r.trainLoss());
            if (Double.isNaN(r.trainLoss())) {
                w.put("update_skipped", true);
            }
        }
        return json;
    }
}
