package org.locasbench.harness.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.locasbench.harness.ttt.StreamingProtocol;
import org.locasbench.harness.ttt.TrainingConfig;
import org.locasbench.lora.LoraAdapter;
import org.locasbench.lora.LoraConfig;
import org.locasbench.lora.LoraFile;
import org.locasbench.model.Qwen3Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "lora-ttt", mixinStandardHelpOptions = true,
        description = "The LoRA baseline on the same streaming protocol and training loop as `ttt` (Temp-Lora "
                + "defaults: AdamW lr 5e-5, eps 1e-7). Prints per-window NLL as JSON.")
public final class LoraTttCommand implements Callable<Integer> {
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
        TrainingConfig config = training.apply(TrainingConfig.tempLoraDefaults());
        LoraConfig lora = loraOptions.config();
        Path dir = modelOptions.resolveDirectory();
        try (Qwen3Model model = modelOptions.load(dir)) {
            TextInput.Tokens tokens = Commands.tokens(input, model);
            StreamingProtocol.Run run = StreamingRun.run(model, tokens.ids(), training,
                    (m, firstWindow) -> LoraAdapter.create(m, lora), config, lora.seed(), "lora " + lora);
            try (LoraAdapter adapter = (LoraAdapter) run.adapter()) {
                var json = StreamingRun.describe(model, tokens, training, config, run).put("rank", lora.rank())
                        .put("alpha", lora.alpha()).put("paper_parameter_estimate",
                                LoraAdapter.paperApproximation(model.config(), lora.rank()))
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
