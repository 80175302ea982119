package org.locasbench.locas;

import java.io.IOException;
import java.nio.file.Path;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.Projection;
import org.locasbench.model.safetensors.Checkpoint;
import org.locasbench.model.safetensors.DerivedCheckpoint;
import org.locasbench.model.safetensors.DerivedCheckpoint.Tensor;
import org.locasbench.model.safetensors.StoredType;

/**
 * {@code to_dense}: the memory folded into a plain, wider Qwen3 with {@code intermediate_size = m + r}. The memory's
 * clipped G and K become extra rows of gate_proj and up_proj, {@code tau V~} extra columns of down_proj:
 * <pre>
 *   W_gate' = [W_gate; G~]   W_up' = [W_up; K~]   W_down' = [W_down, tau V~^T]
 * </pre>
 * so {@code W_down' (silu(W_gate' a) * (W_up' a)) = frozen_mlp(a) + tau V~^T (silu(G~ a) * (K~ a))} exactly.
 */
public final class DenseFusion {
    private DenseFusion() {}

    public static void toDense(Qwen3Model model, LocasMemory memory, Path outDir, StoredType storedAs)
            throws IOException {
        int d = model.config().hiddenSize();
        int m = model.config().intermediateSize();
        int r = memory.width();
        Checkpoint base = Checkpoint.open(model.directory());
        DerivedCheckpoint dense = new DerivedCheckpoint(model.directory(), model.config().withIntermediateSize(m + r))
                .storedAs(storedAs);
        for (int i = 0; i < memory.layers(); i++) {
            dense.replace(Projection.GATE.weightName(i), new Tensor(
                    concat(base.floats(Projection.GATE.weightName(i)), memory.effective(memory.gate(i))),
                    new long[] {m + r, d}));
            dense.replace(Projection.UP.weightName(i), new Tensor(
                    concat(base.floats(Projection.UP.weightName(i)), memory.effective(memory.key(i))),
                    new long[] {m + r, d}));
            float[] down = base.floats(Projection.DOWN.weightName(i));
            float[] value = memory.effective(memory.value(i));
            float tau = memory.tau(i);
            float[] wider = new float[d * (m + r)];
            for (int row = 0; row < d; row++) {
                System.arraycopy(down, row * m, wider, row * (m + r), m);
                for (int j = 0; j < r; j++) {
                    wider[row * (m + r) + m + j] = tau * value[j * d + row];
                }
            }
            dense.replace(Projection.DOWN.weightName(i), new Tensor(wider, new long[] {d, m + r}));
        }
        dense.write(outDir);
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
