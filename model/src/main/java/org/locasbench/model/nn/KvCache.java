package org.locasbench.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values [batch, kvHeads, positions, headDim] of every layer seen so far, for incremental decoding. The
 * cache owns its arrays (they live in its own manager, not in the step's scope) and frees what it replaces.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private long length;

    public KvCache(NDManager parent, int layers) {
        manager = parent.newSubManager();
        keys = new NDArray[layers];
        values = new NDArray[layers];
    }

    /** Positions already cached; the next tokens take positions length, length+1, ... */
    public long length() {
        return length;
    }

    NDList append(int layer, NDArray k, NDArray v) {
        NDArray allK = keys[layer] == null ? k.duplicate() : NDArrays.concat(new NDList(keys[layer], k), 2);
        NDArray allV = values[layer] == null ? v.duplicate() : NDArrays.concat(new NDList(values[layer], v), 2);
        allK.attach(manager);
        allV.attach(manager);
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
        keys[layer] = allK;
        values[layer] = allV;
        if (layer == keys.length - 1) {
            length = allK.getShape().get(2);
        }
        return new NDList(allK, allV);
    }

    @Override
    public void close() {
        manager.close();
    }
}
