package org.locasbench.locas;

import java.io.IOException;
import java.nio.file.Path;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.Projection;
import org.locasbench.model.safetensors.Checkpoint;
import org.locasbench.model.safetensors.DerivedCheckpoint;
import org.locasbench.model.safetensors.ExportOptions;
import org.locasbench.model.safetensors.StoredType;

/**
 * {@code to_dense}: the memory folded into a plain, wider Qwen3 with {@code intermediate_size = m + r}. The memory's
 * clipped G and K become extra rows of gate_proj and up_proj, {@code tau V~} extra columns of down_proj:
 * <pre>
 *   W_gate' = [W_gate; G~]   W_up' = [W_up; K~]   W_down' = [W_down, tau V~^T]
 * </pre>
 * so {@code W_down' (silu(W_gate' a) * (W_up' a)) = frozen_mlp(a) + tau V~^T (silu(G~ a) * (K~ a))} exactly. Each
 * widened matrix is computed when the checkpoint writer reaches it, so one layer's matrix is in memory at a time.
 */
public final class DenseFusion {
    private DenseFusion() {}

    /** {@code storedAs} null keeps the base checkpoint's dtypes. */
    public static void toDense(Qwen3Model model, LocasMemory memory, Path outDir, StoredType storedAs)
            throws IOException {
        toDense(model, memory, outDir, ExportOptions.storedAs(storedAs));
    }

    public static void toDense(Qwen3Model model, LocasMemory memory, Path outDir, ExportOptions options)
            throws IOException {
        int d = model.config().hiddenSize();
        int m = model.config().intermediateSize();
        int r = memory.width();
        Checkpoint base = Checkpoint.open(model.directory());
        DerivedCheckpoint dense = new DerivedCheckpoint(model.directory(), model.config().withIntermediateSize(m + r))
                .options(options);
        for (int i = 0; i < memory.layers(); i++) {
            int layer = i;
            MemoryLayer rows = memory.layer(i);
            dense.replace(Projection.GATE.weightName(i), new long[] {m + r, d},
                    () -> concat(base.floats(Projection.GATE.weightName(layer)), memory.effective(rows.gate())));
            dense.replace(Projection.UP.weightName(i), new long[] {m + r, d},
                    () -> concat(base.floats(Projection.UP.weightName(layer)), memory.effective(rows.key())));
            dense.replace(Projection.DOWN.weightName(i), new long[] {d, m + r}, () -> {
                float[] down = base.floats(Projection.DOWN.weightName(layer));
                float[] value = memory.effective(rows.value());
                float tau = rows.tau();
                float[] wider = new float[d * (m + r)];
                for (int row = 0; row < d; row++) {
                    System.arraycopy(down, row * m, wider, row * (m + r), m);
                    for (int j = 0; j < r; j++) {
                        wider[row * (m + r) + m + j] = tau * value[j * d + row];
                    }
                }
                return wider;
            });
        }
        dense.write(outDir);
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
