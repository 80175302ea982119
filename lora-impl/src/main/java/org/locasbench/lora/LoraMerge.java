package org.locasbench.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.Projection;
import org.locasbench.model.safetensors.Checkpoint;
import org.locasbench.model.safetensors.DerivedCheckpoint;
import org.locasbench.model.safetensors.ExportOptions;
import org.locasbench.model.safetensors.StoredType;

/**
 * Folds {@code (alpha / r) B A} into each targeted base weight and writes a plain Hugging Face checkpoint; each merged
 * weight is computed when the checkpoint writer reaches it (one in memory at a time).
 */
public final class LoraMerge {
    private LoraMerge() {}

    /** {@code storedAs} null keeps the base checkpoint's dtypes. */
    public static void merge(Qwen3Model model, LoraAdapter adapter, Path outDir, StoredType storedAs)
            throws IOException {
        merge(model, adapter, outDir, ExportOptions.storedAs(storedAs));
    }

    public static void merge(Qwen3Model model, LoraAdapter adapter, Path outDir, ExportOptions options)
            throws IOException {
        Checkpoint base = Checkpoint.open(model.directory());
        DerivedCheckpoint merged = new DerivedCheckpoint(model.directory(), model.config()).options(options);
        for (int i = 0; i < adapter.layers(); i++) {
            for (Projection p : Projection.values()) {
                LoraPair pair = adapter.pair(i, p);
                if (pair == null) {
                    continue;
                }
                String name = p.weightName(i);
                merged.replace(name, base.entry(name).shape(), () -> {
                    float[] w = base.floats(name);
                    try (NDManager scope = model.manager().newSubManager()) {
                        NDArray b = pair.loraB().toType(DataType.FLOAT64, true);
                        NDArray a = pair.loraA().toType(DataType.FLOAT64, true);
                        b.attach(scope);
                        a.attach(scope);
                        double[] d = b.matMul(a).mul(adapter.config().scaling()).toDoubleArray();
                        for (int k = 0; k < w.length; k++) {
                            w[k] = (float) (w[k] + d[k]);
                        }
                    }
                    return w;
                });
            }
        }
        merged.write(outDir);
    }
}
