package org.locasbench.harness.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.locasbench.harness.config.CommonConfig;
import org.locasbench.locas.LocasMemory;
import org.locasbench.locas.Memorizer;
import org.locasbench.locas.MemoryFile;
import org.locasbench.model.Qwen3Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "memorize", mixinStandardHelpOptions = true,
        description = "Initialise a Locas memory from the model's most active neurons on a text (V = 0).")
public final class MemorizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    TextInput input = new TextInput();

    @Mixin
    MemoryOptions memoryOptions = new MemoryOptions();

    @Option(names = "--out", paramLabel = "MEM", required = true, description = "Memory file (.safetensors) to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        new OutputCheck().file("--out", out);
        CommonConfig config = ConfigDefaults.common(spec);
        var locas = config.locas();
        Path dir = modelOptions.resolveDirectory();
        try (Qwen3Model model = modelOptions.load(dir, config)) {
            long[] ids = Commands.tokens(input, model).ids();
            try (LocasMemory memory = Memorizer.memorize(model, ids, locas.width(), locas.init(), config.run().seed(),
                    locas.clipping())) {
                MemoryFile.save(memory, out);
                var json = JsonOutput.object().put("memory", out.toString()).put("model", dir.toString())
                        .put("tokens", ids.length).put("width", memory.width())
                        .put("init", memory.info().init().id()).put("parameters", memory.parameterCount());
                JsonOutput.emit(json, null);
            }
        }
        return 0;
    }
}
