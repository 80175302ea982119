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

    /**
     * A new cache holding this one's keys and values repeated {@code batch} times along the batch axis (this one must
     * hold one row): many continuations of one shared prefix, each row extended on its own without touching this cache.
     */
    public KvCache repeated(NDManager parent, int batch) {
        KvCache copy = new KvCache(parent, keys.length);
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null || keys[i].getShape().get(0) != 1) {
                copy.close();
                throw new IllegalStateException("repeated() needs a filled one-row cache, layer " + i + " holds "
                        + (keys[i] == null ? "nothing" : keys[i].getShape()));
            }
            copy.keys[i] = keys[i].repeat(0, batch);
            copy.values[i] = values[i].repeat(0, batch);
            copy.keys[i].attach(copy.manager);
            copy.values[i].attach(copy.manager);
        }
        copy.length = length;
        return copy;
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
