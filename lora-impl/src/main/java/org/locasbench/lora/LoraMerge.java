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
import org.locasbench.model.safetensors.StoredType;

/** Folds {@code (alpha / r) B A} into each targeted base weight and writes a plain Hugging Face checkpoint. */
public final class LoraMerge {
    private LoraMerge() {}

    public static void merge(Qwen3Model model, LoraAdapter adapter, Path outDir, StoredType storedAs)
            throws IOException {
        Checkpoint base = Checkpoint.open(model.directory());
        DerivedCheckpoint merged = new DerivedCheckpoint(model.directory(), model.config()).storedAs(storedAs);
        for (int i = 0; i < adapter.layers(); i++) {
            for (Projection p : Projection.values()) {
                NDArray[] ab = adapter.pair(i, p);
                if (ab == null) {
                    continue;
                }
                String name = p.weightName(i);
                float[] w = base.floats(name);
                long[] shape = base.entry(name).shape();
                try (NDManager scope = model.manager().newSubManager()) {
                    NDArray b = ab[1].toType(DataType.FLOAT64, true);
                    NDArray a = ab[0].toType(DataType.FLOAT64, true);
                    b.attach(scope);
                    a.attach(scope);
                    NDArray delta = b.matMul(a).mul(adapter.config().scaling());
                    double[] d = delta.toDoubleArray();
                    for (int k = 0; k < w.length; k++) {
                        w[k] = (float) (w[k] + d[k]);
                    }
                }
                merged.replace(name, new DerivedCheckpoint.Tensor(w, shape));
            }
        }
        merged.write(outDir);
    }
}
