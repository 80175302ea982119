package org.locasbench.harness.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.locasbench.harness.config.CommonConfig;
import org.locasbench.harness.console.ProgressBar;
import org.locasbench.harness.method.MethodSetup;
import org.locasbench.harness.protocol.Window;
import org.locasbench.harness.protocol.WindowPlan;
import org.locasbench.harness.ttt.StreamingProtocol;
import org.locasbench.harness.ttt.WindowResult;
import org.locasbench.model.Qwen3Model;

/** Runs the streaming protocol for a command with a progress bar and describes the result as JSON. */
final class StreamingRun {
    private StreamingRun() {}

    static StreamingProtocol.Run run(Qwen3Model model, long[] ids, CommonConfig c, MethodSetup setup) {
        List<Window> plan = WindowPlan.of(ids.length, c.window().size(), setup.context());
        ProgressBar bar = new ProgressBar(System.err, setup.label(), plan.size(), ids.length);
        return StreamingProtocol.run(model, ids, plan, setup.factory(), setup.training(),
                setup.runOptions(c, null, ids, model.directory()), setup.growth(),
                r -> bar.step(r.end() - r.start()));
    }

    static ObjectNode describe(Qwen3Model model, TextInput.Tokens tokens, CommonConfig c, MethodSetup setup,
            StreamingProtocol.Run run) {
        ObjectNode json = JsonOutput.object().put("model", model.directory().toString())
                .put("text", tokens.description()).put("tokens", tokens.ids().length).put("window", c.window().size())
                .put("context", setup.context()).put("loss", setup.training().loss().name())
                .put("lr", setup.training().learningRate()).put("steps", setup.training().stepsPerWindow())
                .put("trainable_parameters", run.adapter().parameterCount())
                .put("tokens_sampled", run.windows().stream().mapToLong(WindowResult::sampledTokens).sum())
                .put("mean_nll", run.meanNll()).put("ppl", Math.exp(run.meanNll()));
        ArrayNode windows = json.putArray("windows");
        for (WindowResult r : run.windows()) {
            // a window whose update --on-non-finite skip skipped has no training loss: null, never NaN
            ObjectNode w = windows.addObject().put("index", r.index()).put("start", r.start()).put("end", r.end())
                    .put("nll", r.meanNll()).put("train_loss", Double.isNaN(r.trainLoss()) ? null : r.trainLoss())
                    .put("sampled_tokens", r.sampledTokens())
                    .put("parameters", r.parameters());
            if (Double.isNaN(r.trainLoss())) {
                w.put("update_skipped", true);
            }
        }
        return json;
    }
}
