package org.locasbench.harness.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.locasbench.harness.ttt.StreamingProtocol;
import org.locasbench.harness.ttt.TrainingConfig;
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

    @Mixin
    TrainingOptions training = new TrainingOptions();

    @Option(names = "--out", paramLabel = "MEM", description = "Write the trained memory here.")
    Path out;

    @Override
    public Integer call() throws Exception {
        training.checkOutputs(new OutputCheck().file("--out", out));
        TrainingConfig config = training.apply(TrainingConfig.locasDefaults());
        Path dir = modelOptions.resolveDirectory();
        try (Qwen3Model model = modelOptions.load(dir)) {
            TextInput.Tokens tokens = Commands.tokens(input, model);
            StreamingProtocol.Run run = StreamingRun.run(model, tokens.ids(), training, memoryOptions::memorize, config,
                    memoryOptions.seed, memoryOptions.describe());
            try (LocasMemory memory = (LocasMemory) run.adapter()) {
                var json = StreamingRun.describe(model, tokens, training, config, run).put("width", memory.width())
                        .put("init", memory.info().init().id()).put("memory", out == null ? null : out.toString());
                FiniteResults.require(json, "ttt result"); // before the memory is saved: all or nothing
                if (out != null) {
                    MemoryFile.save(memory, out);
                }
                JsonOutput.emit(json, training.json);
            }
        }
        return 0;
    }
}
