package org.locasbench.locas;

import ai.djl.ndarray.NDArray;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.adapter.Scoped;
import org.locasbench.model.nn.SwiGluMlp;

/**
 * The Locas-GLU memory of one layer, as in arXiv 2602.05085. With width r, hidden size d and trainable G, K, V in
 * R^{r x d}:
 * <pre>
 *   mlp_out(a) = frozen_mlp(a) + tau * V~^T ( silu(G~ a) * (K~ a) )
 *   X~         = X with every row w replaced by w / max(||w||_2, 1)         (rows clipped to the unit ball)
 *   tau        = mean_j ||W_down[:, j]||_2 / r                            (fixed at initialisation)
 * </pre>
 * Importance of a frozen neuron j for {@code memorize}: {@code alpha_j = mean_t |silu(W_gate a_t)_j (W_up a_t)_j|}.
 */
public final class LocasEquations {
    private LocasEquations() {}

    /**
     * {@code w / max(||w||, 1)} row-wise, differentiable (the forward-pass re-parameterisation). Computed as
     * {@code w / sqrt(max(||w||^2, 1))}: the same values, but a zero row (V starts at zero) gets a finite gradient,
     * where d sqrt(s)/ds at s = 0 would turn it into NaN.
     */
    public static NDArray clipRows(NDArray w) {
        NDArray squaredNorms = w.square().sum(new int[] {-1}, true);
        return w.div(squaredNorms.maximum(Scoped.scalar(squaredNorms, 1.0)).sqrt());
    }

    /** The memory's contribution {@code tau V~^T (silu(G~ a) * (K~ a))} for a [.., d] (clipping already applied). */
    public static NDArray sidecar(NDArray a, NDArray gate, NDArray key, NDArray value, float tau) {
        NDArray hidden = SwiGluMlp.silu(LayerAdapter.linear(a, gate)).mul(LayerAdapter.linear(a, key));
        NDArray out = hidden.matMul(value);
        return out.mul(Scoped.scalar(out, tau));
    }

    /** {@code tau = mean_j ||W_down[:, j]|| / r} for W_down [d, m] as Hugging Face stores it. */
    public static float tau(NDArray downProj, int width) {
        long d = downProj.getShape().get(0);
        int m = (int) downProj.getShape().get(1);
        NDArray fp32 = downProj.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32 ? downProj
                : downProj.toType(ai.djl.ndarray.types.DataType.FLOAT32, true);
        float[] w = fp32.toFloatArray();
        if (fp32 != downProj) {
            fp32.close();
        }
        double[] squares = new double[m];
        for (int row = 0; row < d; row++) {
            for (int j = 0; j < m; j++) {
                double v = w[row * m + j];
                squares[j] += v * v;
            }
        }
        double sum = 0;
        for (double s : squares) {
            sum += Math.sqrt(s);
        }
        return (float) (sum / m / width);
    }

    /** {@code alpha_j = mean_t |M_tj|} over all tokens, fp32 accumulation; returns [m]. */
    public static NDArray importance(NDArray intermediate) {
        long m = intermediate.getShape().get(intermediate.getShape().dimension() - 1);
        NDArray flat = intermediate.reshape(-1, m);
        NDArray abs = flat.getDataType() == ai.djl.ndarray.types.DataType.FLOAT16
                ? flat.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).abs() : flat.abs();
        return abs.mean(new int[] {0});
    }
}
