package org.locasbench.model.nn;

import ai.djl.ndarray.NDArray;
import org.locasbench.model.adapter.Projection;

/** The frozen tensors of one decoder layer, in Hugging Face's [out, in] orientation. */
public record LayerWeights(
        NDArray inputNorm,
        NDArray qProj,
        NDArray kProj,
        NDArray vProj,
        NDArray oProj,
        NDArray qNorm,
        NDArray kNorm,
        NDArray postAttentionNorm,
        NDArray gateProj,
        NDArray upProj,
        NDArray downProj) {

    public NDArray projection(Projection p) {
        return switch (p) {
            case Q -> qProj;
            case K -> kProj;
            case V -> vProj;
            case O -> oProj;
            case GATE -> gateProj;
            case UP -> upProj;
            case DOWN -> downProj;
        };
    }
}
