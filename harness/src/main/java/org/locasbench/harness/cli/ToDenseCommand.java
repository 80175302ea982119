package org.locasbench.harness.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.locasbench.locas.DenseFusion;
import org.locasbench.locas.LocasMemory;
import org.locasbench.locas.MemoryFile;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.safetensors.StoredType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "to-dense", mixinStandardHelpOptions = true,
        description = "Fuse a Locas memory into a plain, wider Qwen3 checkpoint (intermediate_size = m + r).")
public final class ToDenseCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--memory", paramLabel = "MEM", required = true, description = "The memory file to fuse.")
    Path memoryFile;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "New model directory (must not exist).")
    Path out;

    @Option(names = "--dtype", defaultValue = "f32", description = "f32 (default, exact) or bf16 (half size, rounded).")
    String dtype;

    @Override
    public Integer call() throws Exception {
        StoredType stored = switch (dtype.toLowerCase(java.util.Locale.ROOT)) {
            case "f32", "fp32", "float32" -> StoredType.F32;
            case "bf16", "bfloat16" -> StoredType.BF16;
            default -> throw new IllegalArgumentException("--dtype must be f32 or bf16, got '" + dtype + "'");
        };
        Path dir = modelOptions.resolveDirectory();
        try (Qwen3Model model = modelOptions.load(dir); LocasMemory memory = MemoryFile.load(memoryFile, model)) {
            DenseFusion.toDense(model, memory, out, stored);
            JsonOutput.emit(JsonOutput.object().put("dense_model", out.toString()).put("base_model", dir.toString())
                    .put("intermediate_size", model.config().intermediateSize() + memory.width())
                    .put("dtype", stored.name()), null);
        }
        return 0;
    }
}
