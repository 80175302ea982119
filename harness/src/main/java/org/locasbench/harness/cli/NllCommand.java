package org.locasbench.harness.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.locasbench.harness.protocol.Window;
import org.locasbench.harness.protocol.WindowPlan;
import org.locasbench.harness.protocol.WindowScorer;
import org.locasbench.locas.LocasMemory;
import org.locasbench.locas.MemoryFile;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.LayerAdapter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "nll", mixinStandardHelpOptions = true,
        description = "Per-token NLL, mean and PPL of a text, with or without a Locas memory attached (JSON).")
public final class NllCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    TextInput input = new TextInput();

    @Option(names = "--memory", paramLabel = "MEM", description = "A Locas memory file to attach.")
    Path memoryFile;

    @Option(names = "--window", descriptionKey = "window.size",
            description = "Tokens per forward window (default ${DEFAULT-VALUE}).")
    String window;

    @Option(names = "--context", descriptionKey = "window.context", description = "Context before each window (default ${DEFAULT-VALUE}).")
    String context;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the JSON here instead of stdout.")
    Path out;

    @Override
    public Integer call() throws Exception {
        new OutputCheck().file("--out", out);
        var config = ConfigDefaults.common(spec);
        Path dir = modelOptions.resolveDirectory();
        try (Qwen3Model model = modelOptions.load(dir, config)) {
            TextInput.Tokens tokens = Commands.tokens(input, model);
            long[] ids = tokens.ids();
            LocasMemory memory = memoryFile == null ? null : MemoryFile.load(memoryFile, model);
            try {
                LayerAdapter adapter = memory == null ? LayerAdapter.NONE : memory;
                List<Window> plan = WindowPlan.of(ids.length, config.window().size(), config.window().context());
                float[] nll = WindowScorer.scoreAll(model, adapter, ids, plan, w -> { });
                double mean = WindowScorer.mean(nll);
                var json = JsonOutput.object().put("model", dir.toString()).put("text", tokens.description())
                        .put("memory", memoryFile == null ? null : memoryFile.toString()).put("tokens", ids.length)
                        .put("mean_nll", mean).put("ppl", Math.exp(mean));
                json.putPOJO("nll", nll);
                JsonOutput.emit(json, out);
            } finally {
                if (memory != null) {
                    memory.close();
                }
            }
        }
        return 0;
    }
}
