package org.locasbench.harness.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.locasbench.locas.DenseFusion;
import org.locasbench.locas.LocasMemory;
import org.locasbench.locas.MemoryFile;
import org.locasbench.model.Qwen3Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "to-dense", mixinStandardHelpOptions = true,
        description = "Fuse a Locas memory into a plain, wider Qwen3 checkpoint (intermediate_size = m + r).")
public final class ToDenseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--memory", paramLabel = "MEM", required = true, description = "The memory file to fuse.")
    Path memoryFile;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "New model directory (must not exist).")
    Path out;

    @Mixin
    ExportOptionsMixin export = new ExportOptionsMixin();

    @Override
    public Integer call() throws Exception {
        new OutputCheck().newDirectory("--out", out);
        var options = export.options();
        Path dir = modelOptions.resolveDirectory();
        try (Qwen3Model model = modelOptions.load(dir, ConfigDefaults.common(spec)); LocasMemory memory = MemoryFile.load(memoryFile, model)) {
            DenseFusion.toDense(model, memory, out, options);
            JsonOutput.emit(JsonOutput.object().put("dense_model", out.toString()).put("base_model", dir.toString())
                    .put("intermediate_size", model.config().intermediateSize() + memory.width())
                    .put("dtype", export.dtypeLabel()), null);
        }
        return 0;
    }
}
