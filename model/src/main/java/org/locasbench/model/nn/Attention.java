package org.locasbench.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.adapter.Projection;
import org.locasbench.model.adapter.Scoped;
import org.locasbench.model.config.Qwen3Config;
import org.locasbench.model.engine.FastPath;
import org.locasbench.model.engine.FusedOps;

/**
 * Grouped-query causal self-attention with Qwen3's per-head RMSNorm on queries and keys:
 * {@code softmax(q k^T / sqrt(d_h) + mask) v}. The G query heads that share a key/value head are folded into the
 * token axis, so each group is one batched matmul against its own keys; keys and values are never repeated.
 */
public final class Attention {
    private final Qwen3Config config;
    private final float scaling;

    public Attention(Qwen3Config config) {
        this.config = config;
        this.scaling = (float) Math.pow(config.headDim(), -0.5);
    }

    /**
     * @param x normed hidden states [batch, tokens, hidden]
     * @param rope cos/sin tables for these tokens' positions
     * @param mask additive mask [tokens, keys] in the compute dtype (0 or a large negative number)
     * @param cache previous keys/values to attend to, or null
     */
    public NDArray forward(int layer, LayerWeights w, NDArray x, NDList rope, NDArray mask, LayerAdapter adapter,
            KvCache cache) {
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        int heads = config.numAttentionHeads();
        int kvHeads = config.numKeyValueHeads();
        int headDim = config.headDim();
        float eps = (float) config.rmsNormEps();

        NDArray q = adapter.project(layer, Projection.Q, x, w.qProj()).reshape(batch, tokens, heads, headDim);
        NDArray k = adapter.project(layer, Projection.K, x, w.kProj()).reshape(batch, tokens, kvHeads, headDim);
        NDArray v = adapter.project(layer, Projection.V, x, w.vProj()).reshape(batch, tokens, kvHeads, headDim);
        q = RotaryEmbedding.apply(RmsNorm.apply(q, w.qNorm(), eps).transpose(0, 2, 1, 3), rope);
        k = RotaryEmbedding.apply(RmsNorm.apply(k, w.kNorm(), eps).transpose(0, 2, 1, 3), rope);
        v = v.transpose(0, 2, 1, 3);
        if (cache != null) {
            NDList kv = cache.append(layer, k, v);
            k = kv.get(0);
            v = kv.get(1);
        }
        int group = config.groupSize();
        // per head [B, H, T, D]: the fused kernel when queries and keys cover the same positions (its causal mask is
        // exactly this mask), else the matmul-softmax-matmul below
        NDArray perHead = cache == null && FastPath.on(FastPath.Lever.SDPA, x.getDevice())
                ? FusedOps.causalAttention(q, k, v, scaling, group > 1)
                : weighted(q, k, v, mask, group);
        NDArray context = perHead.transpose(0, 2, 1, 3).reshape(batch, tokens, (long) heads * headDim);
        return adapter.project(layer, Projection.O, context, w.oProj());
    }

    /** {@code softmax(q k^T / sqrt(d_h) + mask) v} for q [B, H, T, D] and k, v [B, KV, keys, D]: [B, H, T, D]. */
    private NDArray weighted(NDArray q, NDArray k, NDArray v, NDArray mask, int group) {
        long batch = q.getShape().get(0);
        long tokens = q.getShape().get(2);
        long headDim = q.getShape().get(3);
        long kvHeads = k.getShape().get(1);
        long keysLength = k.getShape().get(2);
        // [B, H, T, D] -> [B, KV, G*T, D]: query head h uses key/value head h / G, as transformers' repeat_kv
        NDArray groupedQ = q.reshape(batch, kvHeads, group * tokens, headDim);
        // scaling q (T x D) rather than the scores (T x K) is the same product with far less memory traffic
        groupedQ = groupedQ.mul(Scoped.scalar(groupedQ, scaling));
        NDArray scores = groupedQ.matMul(k.transpose(0, 1, 3, 2));
        // fp16 softmax accumulates in fp32 inside PyTorch's kernel; its fp16 output is what the next matmul takes
        NDArray masked = scores.reshape(batch, kvHeads, group, tokens, keysLength).add(mask);
        NDArray probs = masked.softmax(-1).reshape(batch, kvHeads, group * tokens, keysLength);
        return probs.matMul(v).reshape(batch, kvHeads * group, tokens, headDim);
    }

    /**
     * Causal additive mask for {@code tokens} new queries after {@code past} cached positions: [tokens, past+tokens] of
     * {@code type}: -1e9 where a key is in the future (fp16: its lowest finite value, -65504), else 0.
     */
    public static NDArray causalMask(ai.djl.ndarray.NDManager manager, long tokens, long past, DataType type) {
        NDArray rows = manager.arange(past, past + tokens, 1, DataType.INT64).reshape(tokens, 1);
        NDArray cols = manager.arange(0, past + tokens, 1, DataType.INT64).reshape(1, past + tokens);
        NDArray future = cols.gt(rows).toType(type, false);
        return future.mul(Scoped.scalar(future, type == DataType.FLOAT16 ? -65504 : -1e9));
    }
}
