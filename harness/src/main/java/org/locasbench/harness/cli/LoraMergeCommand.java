package org.locasbench.harness.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.locasbench.lora.LoraAdapter;
import org.locasbench.lora.LoraFile;
import org.locasbench.lora.LoraMerge;
import org.locasbench.model.Qwen3Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "lora-merge", mixinStandardHelpOptions = true,
        description = "Fold a LoRA adapter (PEFT format) into the base weights and write a plain checkpoint.")
public final class LoraMergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--adapter", paramLabel = "DIR", required = true, description = "PEFT adapter directory.")
    Path adapterDir;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "New model directory (must not exist).")
    Path out;

    @Mixin
    ExportOptionsMixin export = new ExportOptionsMixin();

    @Override
    public Integer call() throws Exception {
        new OutputCheck().newDirectory("--out", out);
        var options = export.options();
        Path dir = modelOptions.resolveDirectory();
        try (Qwen3Model model = modelOptions.load(dir, ConfigDefaults.common(spec)); LoraAdapter adapter = LoraFile.load(adapterDir, model)) {
            LoraMerge.merge(model, adapter, out, options);
            JsonOutput.emit(JsonOutput.object().put("merged_model", out.toString()).put("base_model", dir.toString())
                    .put("adapter", adapterDir.toString()), null);
        }
        return 0;
    }
}
