package org.locasbench.harness.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.locasbench.harness.config.CommonConfig;
import org.locasbench.harness.config.Method;
import org.locasbench.harness.method.MethodSetup;
import org.locasbench.harness.ttt.StreamingProtocol;
import org.locasbench.lora.LoraAdapter;
import org.locasbench.lora.LoraFile;
import org.locasbench.model.Qwen3Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "lora-ttt", mixinStandardHelpOptions = true,
        description = "The LoRA baseline on the same streaming protocol and training loop as `ttt`. Prints per-window "
                + "NLL as JSON. Defaults are those of `run pg19` (experiments/common.yaml).")
public final class LoraTttCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    TextInput input = new TextInput();

    @Mixin
    LoraOptions loraOptions = new LoraOptions();

    @Mixin
    TrainingOptions training = new TrainingOptions();

    @Option(names = "--out", paramLabel = "DIR", description = "Write the trained adapter (PEFT format) here.")
    Path out;

    @Override
    public Integer call() throws Exception {
        training.checkOutputs(new OutputCheck().newDirectory("--out", out));
        CommonConfig config = ConfigDefaults.common(spec);
        MethodSetup setup = MethodSetup.of(config, Method.LORA);
        Path dir = modelOptions.resolveDirectory();
        try (Qwen3Model model = modelOptions.load(dir, config)) {
            TextInput.Tokens tokens = Commands.tokens(input, model);
            StreamingProtocol.Run run = StreamingRun.run(model, tokens.ids(), config, setup);
            try (LoraAdapter adapter = (LoraAdapter) run.adapter()) {
                var json = StreamingRun.describe(model, tokens, config, setup, run).put("rank", config.lora().rank())
                        .put("alpha", config.lora().alpha()).put("paper_parameter_estimate",
                                LoraAdapter.paperApproximation(model.config(), config.lora().rank()))
                        .put("adapter", out == null ? null : out.toString());
                FiniteResults.require(json, "lora-ttt result"); // before the adapter is saved: all or nothing
                if (out != null) {
                    LoraFile.save(adapter, out, dir.toString());
                }
                JsonOutput.emit(json, training.json);
            }
        }
        return 0;
    }
}
