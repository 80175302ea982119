package org.locasbench.harness.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.locasbench.harness.config.CommonConfig;
import org.locasbench.harness.config.Method;
import org.locasbench.harness.method.MethodSetup;
import org.locasbench.harness.ttt.StreamingProtocol;
import org.locasbench.locas.LocasMemory;
import org.locasbench.locas.MemoryFile;
import org.locasbench.model.Qwen3Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "ttt", mixinStandardHelpOptions = true,
        description = "Stream a text in windows: score each window with the current Locas memory, then train the "
                + "memory on it (memorize runs on the first window). Prints per-window NLL as JSON. Defaults are "
                + "those of `run pg19` (experiments/common.yaml).")
public final class TttCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

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

    @Option(names = "--grow-every", descriptionKey = "locas.growEvery", description = "Expandable memory: grow after "
            + "every N windows (default: fixed width).")
    String growEvery;

    @Option(names = "--grow-by", descriptionKey = "locas.growBy", description = "Rows per layer each growth adds "
            + "(default ${DEFAULT-VALUE}).")
    String growBy;

    @Option(names = "--max-width", descriptionKey = "locas.maxWidth", description = "Width an expandable memory stops "
            + "at (required with --grow-every).")
    String maxWidth;

    @Override
    public Integer call() throws Exception {
        training.checkOutputs(new OutputCheck().file("--out", out));
        CommonConfig config = ConfigDefaults.common(spec);
        MethodSetup setup = MethodSetup.of(config, Method.LOCAS);
        Path dir = modelOptions.resolveDirectory();
        try (Qwen3Model model = modelOptions.load(dir, config)) {
            TextInput.Tokens tokens = Commands.tokens(input, model);
            StreamingProtocol.Run run = StreamingRun.run(model, tokens.ids(), config, setup);
            try (LocasMemory memory = (LocasMemory) run.adapter()) {
                var json = StreamingRun.describe(model, tokens, config, setup, run).put("width", memory.width())
                        .put("growth", MemoryFile.growthText(memory.info()))
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
