package org.locasbench.harness.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.locasbench.harness.console.ProgressBar;
import org.locasbench.harness.protocol.Window;
import org.locasbench.harness.protocol.WindowPlan;
import org.locasbench.harness.ttt.LossKind;
import org.locasbench.harness.ttt.StreamingProtocol;
import org.locasbench.harness.ttt.TrainingConfig;
import org.locasbench.harness.ttt.WindowResult;
import org.locasbench.locas.LocasMemory;
import org.locasbench.locas.MemoryFile;
import org.locasbench.model.Qwen3Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ttt", mixinStandardHelpOptions = true,
        description = "Stream a text in windows: score each window with the current Locas memory, then train the "
                + "memory on it (memorize runs on the first window). Prints per-window NLL as JSON.")
public final class TttCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    TextInput input = new TextInput();

    @Mixin
    MemoryOptions memoryOptions = new MemoryOptions();

    @Option(names = "--window", defaultValue = "256", description = "New tokens per window (default ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--context", defaultValue = "256", description = "Context before each window (default ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--loss", defaultValue = "NTP", description = "NTP (default), SD or MIX.")
    String loss;

    @Option(names = "--lambda", defaultValue = "0.5", description = "MIX weight of NTP (default ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--teacher-context", defaultValue = "1024", description = "SD teacher context (default ${DEFAULT-VALUE}).")
    int teacherContext;

    @Option(names = "--student-context", defaultValue = "64", description = "SD student context (default ${DEFAULT-VALUE}).")
    int studentContext;

    @Option(names = "--lr", defaultValue = "1e-3", description = "AdamW learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--steps", defaultValue = "1", description = "Optimiser steps per window (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--out", paramLabel = "MEM", description = "Write the trained memory here.")
    Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the JSON results here instead of stdout.")
    Path json;

    @Override
    public Integer call() throws Exception {
        TrainingConfig config = TrainingConfig.locasDefaults().withLoss(LossKind.parse(loss)).withLearningRate(lr)
                .withSteps(steps).withContexts(teacherContext, studentContext).withMixLambda(lambda);
        Path dir = modelOptions.resolveDirectory();
        try (Qwen3Model model = modelOptions.load(dir)) {
            TextInput.Tokens tokens = Commands.tokens(input, model);
            long[] ids = tokens.ids();
            List<Window> plan = WindowPlan.of(ids.length, window, context);
            ProgressBar bar = new ProgressBar(System.err, "ttt", plan.size(), ids.length);
            StreamingProtocol.Run run = StreamingProtocol.run(model, ids, plan, memoryOptions::memorize, config,
                    r -> bar.step(r.end() - r.start()));
            try (LocasMemory memory = (LocasMemory) run.adapter()) {
                if (out != null) {
                    MemoryFile.save(memory, out);
                }
                var result = JsonOutput.object().put("model", dir.toString()).put("text", tokens.description())
                        .put("tokens", ids.length).put("window", window).put("context", context)
                        .put("width", memory.width()).put("init", memory.info().init().id()).put("loss", loss)
                        .put("lr", lr).put("steps", steps).put("memory_parameters", memory.parameterCount())
                        .put("mean_nll", run.meanNll()).put("ppl", Math.exp(run.meanNll()))
                        .put("memory", out == null ? null : out.toString());
                ArrayNode windows = result.putArray("windows");
                for (WindowResult r : run.windows()) {
                    windows.addObject().put("index", r.index()).put("start", r.start()).put("end", r.end())
                            .put("nll", r.meanNll()).put("train_loss", r.trainLoss());
                }
                JsonOutput.emit(result, json);
            }
        }
        return 0;
    }
}
